package dev.seed.meetings.meeting.events;

import java.util.UUID;

/**
 * An event just appended to the outbox, kept in memory so that the fast path publishes the very bytes it stored
 * without reading the row back.
 */
public final class OutboxEntry {

	private final OutboundEvent event;

	OutboxEntry(OutboundEvent event) {
		this.event = event;
	}

	public UUID outboxId() {
		return this.event.outboxId();
	}

	OutboundEvent event() {
		return this.event;
	}

}
