package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * {@code meeting.meetings} and {@code meeting.meeting_attendees}. Runs in the caller's transaction.
 */
@Component
class MeetingStore {

	private final DatabaseClient db;

	MeetingStore(DatabaseClient db) {
		this.db = db;
	}

	Mono<Void> insert(Meeting meeting) {
		return insertMeeting(meeting).then(insertAttendees(meeting));
	}

	private Mono<Void> insertMeeting(Meeting meeting) {
		DatabaseClient.GenericExecuteSpec insert = this.db
			.sql("INSERT INTO meeting.meetings (id, title, start_at, end_at, location, organizer_id, status, created_at) "
					+ "VALUES (:id, :title, :startAt, :endAt, :location, :organizerId, :status, :createdAt)")
			.bind("id", meeting.meetingId())
			.bind("title", meeting.title())
			.bind("startAt", meeting.startAt())
			.bind("endAt", meeting.endAt())
			.bind("status", meeting.status())
			.bind("createdAt", meeting.createdAt());
		insert = (meeting.location() != null) ? insert.bind("location", meeting.location())
				: insert.bindNull("location", String.class);
		insert = (meeting.organizerId() != null) ? insert.bind("organizerId", meeting.organizerId())
				: insert.bindNull("organizerId", String.class);
		return insert.then();
	}

	/** All attendees in one statement, whatever their number. */
	private Mono<Void> insertAttendees(Meeting meeting) {
		List<Meeting.Attendee> attendees = meeting.attendees();
		return this.db
			.sql("INSERT INTO meeting.meeting_attendees (meeting_id, user_id, name, email, position) "
					+ "SELECT :meetingId, a.user_id, a.name, a.email, a.position::int "
					+ "FROM unnest(CAST(:userIds AS text[]), CAST(:names AS text[]), CAST(:emails AS text[])) "
					+ "WITH ORDINALITY AS a(user_id, name, email, position)")
			.bind("meetingId", meeting.meetingId())
			.bind("userIds", attendees.stream().map(Meeting.Attendee::userId).toArray(String[]::new))
			.bind("names", attendees.stream().map(Meeting.Attendee::name).toArray(String[]::new))
			.bind("emails", attendees.stream().map(Meeting.Attendee::email).toArray(String[]::new))
			.then();
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
