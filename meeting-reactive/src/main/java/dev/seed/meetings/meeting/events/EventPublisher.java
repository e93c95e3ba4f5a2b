package dev.seed.meetings.meeting.events;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;

/**
 * Our own face of the broker client, so that the rest of the service does not depend on it.
 */
interface EventPublisher {

	/**
	 * Publishes the events persistently and emits the outbox id of each one the broker routed and confirmed.
	 * Events that were returned, nacked or lost to a failure are simply not emitted.
	 */
	Flux<UUID> publishConfirmed(List<OutboundEvent> events);

}
