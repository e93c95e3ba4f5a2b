package dev.seed.meetings.meeting.events;

import reactor.core.publisher.Mono;

/**
 * Our own face of the broker client, so that the rest of the service does not depend on it.
 */
interface EventPublisher {

	/**
	 * Publishes the event persistently and tells whether the broker routed and confirmed it: {@code true} on the
	 * ack; {@code false} when it was returned, nacked, refused (backlog full, no channel) or lost to a channel
	 * failure. Does not fail; the caller bounds how long it waits.
	 */
	Mono<Boolean> publishConfirmed(OutboundEvent event);

}
