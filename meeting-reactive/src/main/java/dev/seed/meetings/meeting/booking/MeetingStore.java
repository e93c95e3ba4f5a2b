package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.events.OutboxEntry;

/**
 * {@code meeting.meetings} and {@code meeting.meeting_attendees}, written together with the meeting's
 * {@code meeting.outbox} row; in the caller's transaction when there is one.
 */
@Component
class MeetingStore {

	// the attendees and the outbox row are selected from the inserted meeting, so they are written only with it
	private static final String INSERT = "WITH meeting AS (INSERT INTO meeting.meetings "
			+ "(id, title, start_at, end_at, location, organizer_id, status, created_at) "
			+ "VALUES (:id, :title, :startAt, :endAt, :location, :organizerId, :status, :createdAt) RETURNING id), "
			+ "attendees AS (INSERT INTO meeting.meeting_attendees (meeting_id, user_id, name, email, position) "
			+ "SELECT meeting.id, a.user_id, a.name, a.email, a.position::int FROM meeting, "
			+ "unnest(CAST(:userIds AS text[]), CAST(:names AS text[]), CAST(:emails AS text[])) "
			+ "WITH ORDINALITY AS a(user_id, name, email, position)) "
			+ "INSERT INTO meeting.outbox (id, event_id, routing_key, payload) "
			+ "SELECT :outboxId, :eventId, :routingKey, :payload FROM meeting";

	private final DatabaseClient db;

	MeetingStore(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * The meeting, its attendees and its event's outbox row in one statement: one round trip, and without a
	 * transaction around it the statement's own (implicit) one makes them durable together or not at all.
	 */
	Mono<Void> insert(Meeting meeting, OutboxEntry event) {
		List<Meeting.Attendee> attendees = meeting.attendees();
		DatabaseClient.GenericExecuteSpec insert = this.db.sql(INSERT)
			.bind("id", meeting.meetingId())
			.bind("title", meeting.title())
			.bind("startAt", meeting.startAt())
			.bind("endAt", meeting.endAt())
			.bind("status", meeting.status())
			.bind("createdAt", meeting.createdAt())
			.bind("userIds", attendees.stream().map(Meeting.Attendee::userId).toArray(String[]::new))
			.bind("names", attendees.stream().map(Meeting.Attendee::name).toArray(String[]::new))
			.bind("emails", attendees.stream().map(Meeting.Attendee::email).toArray(String[]::new))
			.bind("outboxId", event.outboxId())
			.bind("eventId", event.eventId())
			.bind("routingKey", event.routingKey())
			.bind("payload", event.payload());
		insert = (meeting.location() != null) ? insert.bind("location", meeting.location())
				: insert.bindNull("location", String.class);
		insert = (meeting.organizerId() != null) ? insert.bind("organizerId", meeting.organizerId())
				: insert.bindNull("organizerId", String.class);
		return insert.then();
	}

	Mono<Meeting> findById(UUID meetingId) {
		Mono<List<Meeting.Attendee>> attendees = this.db
			.sql("SELECT user_id, name, email, response FROM meeting.meeting_attendees WHERE meeting_id = :id "
					+ "ORDER BY position")
			.bind("id", meetingId)
			.map((row) -> new Meeting.Attendee(row.get("user_id", String.class), row.get("name", String.class),
					row.get("email", String.class), row.get("response", String.class)))
			.all()
			.collectList();
		return this.db
			.sql("SELECT id, title, start_at, end_at, location, organizer_id, status, created_at, version "
					+ "FROM meeting.meetings WHERE id = :id")
			.bind("id", meetingId)
			.map(MeetingStore::toMeeting)
			.one()
			.zipWith(attendees, (meeting, list) -> new Meeting(meeting.meetingId(), meeting.title(), meeting.startAt(),
					meeting.endAt(), meeting.location(), meeting.organizerId(), meeting.status(), meeting.createdAt(),
					list, meeting.version()));
	}

	private static Meeting toMeeting(Readable row) {
		return new Meeting(row.get("id", UUID.class), row.get("title", String.class), utc(row, "start_at"),
				utc(row, "end_at"), row.get("location", String.class), row.get("organizer_id", String.class),
				row.get("status", String.class), utc(row, "created_at"), List.of(), row.get("version", Integer.class));
	}

	private static OffsetDateTime utc(Readable row, String column) {
		return row.get(column, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
	}

}
