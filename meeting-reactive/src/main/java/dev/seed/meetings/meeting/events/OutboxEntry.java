package dev.seed.meetings.meeting.events;

import java.util.UUID;

/**
 * An event's outbox row, built in memory before it is written, so that the fast path publishes the very bytes the
 * row stores without reading it back.
 */
public final class OutboxEntry {

	private final OutboundEvent event;

	OutboxEntry(OutboundEvent event) {
		this.event = event;
	}

	public UUID outboxId() {
		return this.event.outboxId();
	}

	public UUID eventId() {
		return this.event.eventId();
	}

	public String routingKey() {
		return this.event.routingKey();
	}

	/** The event's JSON, serialised once: the row stores it and the fast path publishes it. */
	public String payload() {
		return this.event.payload();
	}

	OutboundEvent event() {
		return this.event;
	}

}
