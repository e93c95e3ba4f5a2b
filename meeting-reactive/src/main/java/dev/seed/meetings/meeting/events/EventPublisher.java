package dev.seed.meetings.meeting.events;

import java.util.UUID;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * Our own face of the broker client, so that the rest of the service does not depend on it.
 */
interface EventPublisher {

	/**
	 * Publishes the event persistently and tells whether the broker routed and confirmed it: {@code true} on the
	 * ack; {@code false} when it was returned, nacked, refused (backlog full, no channel) or lost to a channel
	 * failure. Does not fail; the caller bounds how long it waits. Publishing an event whose earlier copy is still
	 * unanswered sends another copy; the answer to either answers both.
	 */
	Mono<Boolean> publishConfirmed(OutboundEvent event);

	/**
	 * Has {@code listener} told the outbox id of every event the broker confirmed, also of one whose publisher had
	 * stopped waiting (a late confirm), so that the row is marked published instead of published again. Called on
	 * the broker client's thread: it must not block.
	 */
	void whenConfirmed(Consumer<UUID> listener);

}
