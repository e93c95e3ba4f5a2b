package dev.seed.meetings.meeting.events;

import java.util.UUID;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

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

	/** Appends the event and gives the new row's id. */
	public Mono<UUID> append(MeetingCreated event) {
		UUID outboxId = UUID.randomUUID();
		return this.db
			.sql("INSERT INTO meeting.outbox (id, event_id, routing_key, payload) VALUES (:id, :eventId, :routingKey, :payload)")
			.bind("id", outboxId)
			.bind("eventId", event.eventId())
			.bind("routingKey", MeetingCreated.ROUTING_KEY)
			.bind("payload", this.json.writeValueAsString(event))
			.then()
			.thenReturn(outboxId);
	}

}
