package dev.seed.meetings.meeting.events;

import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.TimeOrderedIds;

/**
 * The rows of {@code meeting.outbox}: an event becomes an {@link OutboxEntry} here, and the caller writes it in the
 * same statement or transaction as the change it announces (booking.MeetingStore).
 */
@Component
public class Outbox {

	private final JsonMapper json;

	Outbox(JsonMapper json) {
		this.json = json;
	}

	/** The event's row, its JSON serialised once. */
	public OutboxEntry entry(MeetingCreated event) {
		UUID outboxId = TimeOrderedIds.at(event.occurredAt());
		return new OutboxEntry(new OutboundEvent(outboxId, event.eventId(), MeetingCreated.TYPE,
				MeetingCreated.ROUTING_KEY, this.json.writeValueAsString(event)));
	}

}
