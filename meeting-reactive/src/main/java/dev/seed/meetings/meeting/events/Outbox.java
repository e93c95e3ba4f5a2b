package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.ids.TimeOrderedIds;

/**
 * Writes events into {@code meeting.outbox}, inside whatever transaction the caller runs.
 */
@Component
public class Outbox {

	private final DatabaseClient db;

	private final JsonMapper json;

	Outbox(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	/** The event's row, its JSON serialised once; the booking writes it in the same statement as its meeting. */
	public OutboxEntry entry(MeetingCreated event) {
		UUID outboxId = TimeOrderedIds.at(event.occurredAt());
		return new OutboxEntry(new OutboundEvent(outboxId, event.eventId(), MeetingCreated.TYPE,
				MeetingCreated.ROUTING_KEY, this.json.writeValueAsString(event)));
	}

	/** Appends an attendee's answer, in the caller's transaction, and gives the new row for the fast path. */
	public Mono<OutboxEntry> append(InvitationAnswered event) {
		return append(event.eventId(), event.occurredAt(), InvitationAnswered.TYPE, InvitationAnswered.ROUTING_KEY,
				event);
	}

	private Mono<OutboxEntry> append(UUID eventId, Instant occurredAt, String type, String routingKey, Object event) {
		UUID outboxId = TimeOrderedIds.at(occurredAt);
		String payload = this.json.writeValueAsString(event);
		return this.db
			.sql("INSERT INTO meeting.outbox (id, event_id, routing_key, payload) VALUES (:id, :eventId, :routingKey, :payload)")
			.bind("id", outboxId)
			.bind("eventId", eventId)
			.bind("routingKey", routingKey)
			.bind("payload", payload)
			.then()
			.thenReturn(new OutboxEntry(new OutboundEvent(outboxId, eventId, type, routingKey, payload)));
	}

	/** The same for a change or a cancellation, in the change's transaction. */
	public Mono<OutboxEntry> append(ChangeEvent event) {
		UUID outboxId = TimeOrderedIds.at(event.occurredAt());
		String payload = this.json.writeValueAsString(event);
		return this.db
			.sql("INSERT INTO meeting.outbox (id, event_id, routing_key, payload) VALUES (:id, :eventId, :routingKey, :payload)")
			.bind("id", outboxId)
			.bind("eventId", event.eventId())
			.bind("routingKey", event.routingKey())
			.bind("payload", payload)
			.then()
			.thenReturn(new OutboxEntry(
					new OutboundEvent(outboxId, event.eventId(), event.type(), event.routingKey(), payload)));
	}

}
