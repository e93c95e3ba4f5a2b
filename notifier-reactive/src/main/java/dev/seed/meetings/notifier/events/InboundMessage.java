package dev.seed.meetings.notifier.events;

import java.util.Map;

import reactor.core.publisher.Mono;

/** One delivery from the broker, settled exactly once by {@link #ack()} or {@link #requeue()}. */
public interface InboundMessage {

	byte[] body();

	Map<String, Object> headers();

	/** The message id, or {@code null} when the publisher set none. */
	String messageId();

	/** Removes the message from the queue: every attendee is settled. */
	Mono<Void> ack();

	/** Hands the message back to the broker for another try. */
	Mono<Void> requeue();

}
