package dev.seed.meetings.notifier.events;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where {@code MeetingUpdated} and {@code MeetingCancelled} come from (a queue of their own). */
public interface MeetingChangeInbox {

	/** Deliveries with manual acknowledgement, at most the configured prefetch unsettled at a time. */
	Flux<InboundMessage> receive();

	/** Moves a message that can never be processed to the parking queue, then acknowledges it. */
	Mono<Void> park(InboundMessage message, String reason);

}
