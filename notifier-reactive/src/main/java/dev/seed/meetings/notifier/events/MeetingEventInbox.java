package dev.seed.meetings.notifier.events;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where {@code MeetingCreated} events come from; keeps the AMQP library out of the rest of the service. */
public interface MeetingEventInbox {

	/** Deliveries with manual acknowledgement, at most the configured prefetch unsettled at a time. */
	Flux<InboundMessage> receive();

	/** Moves a message that can never be processed to the parking queue, then acknowledges it. */
	Mono<Void> park(InboundMessage message, String reason);

}
