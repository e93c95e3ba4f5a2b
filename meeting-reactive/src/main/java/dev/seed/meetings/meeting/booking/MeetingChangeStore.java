package dev.seed.meetings.meeting.booking;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The writes of a change or a cancellation in {@code meeting.meetings} and {@code meeting.meeting_attendees}. Each
 * conditional update names the version it was computed from, so that of two changes made from the same version
 * exactly one matches a row; runs in the caller's transaction.
 */
@Component
class MeetingChangeStore {

	private final DatabaseClient db;

	MeetingChangeStore(DatabaseClient db) {
		this.db = db;
	}

	/** Writes the changed fields and the next version; false when the meeting is no longer at {@code version}. */
	Mono<Boolean> update(Meeting changed, int version) {
		DatabaseClient.GenericExecuteSpec update = this.db
			.sql("UPDATE meeting.meetings SET title = :title, start_at = :startAt, end_at = :endAt, "
					+ "location = :location, version = version + 1 "
					+ "WHERE id = :id AND version = :version AND status = :scheduled")
			.bind("id", changed.meetingId())
			.bind("title", changed.title())
			.bind("startAt", changed.startAt())
			.bind("endAt", changed.endAt())
			.bind("version", version)
			.bind("scheduled", Meeting.SCHEDULED);
		update = (changed.location() != null) ? update.bind("location", changed.location())
				: update.bindNull("location", String.class);
		return update.fetch().rowsUpdated().map((rows) -> rows == 1);
	}

	/** Marks the meeting cancelled at the next version; false when it is no longer scheduled at {@code version}. */
	Mono<Boolean> cancel(UUID meetingId, int version) {
		return this.db
			.sql("UPDATE meeting.meetings SET status = :cancelled, version = version + 1 "
					+ "WHERE id = :id AND version = :version AND status = :scheduled")
			.bind("id", meetingId)
			.bind("version", version)
			.bind("cancelled", Meeting.CANCELLED)
			.bind("scheduled", Meeting.SCHEDULED)
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/**
	 * Makes the attendee rows the given list, in its order: those no longer listed go, new ones come with
	 * {@code needs-action}, those who stay keep their answer.
	 */
	Mono<Void> replaceAttendees(UUID meetingId, List<Meeting.Attendee> attendees) {
		String[] userIds = attendees.stream().map(Meeting.Attendee::userId).toArray(String[]::new);
		Mono<Void> remove = this.db
			.sql("DELETE FROM meeting.meeting_attendees WHERE meeting_id = :meetingId "
					+ "AND NOT (user_id = ANY(CAST(:userIds AS text[])))")
			.bind("meetingId", meetingId)
			.bind("userIds", userIds)
			.then();
		Mono<Void> upsert = this.db
			.sql("INSERT INTO meeting.meeting_attendees (meeting_id, user_id, name, email, position) "
					+ "SELECT :meetingId, a.user_id, a.name, a.email, a.position::int "
					+ "FROM unnest(CAST(:userIds AS text[]), CAST(:names AS text[]), CAST(:emails AS text[])) "
					+ "WITH ORDINALITY AS a(user_id, name, email, position) "
					+ "ON CONFLICT (meeting_id, user_id) DO UPDATE SET position = EXCLUDED.position")
			.bind("meetingId", meetingId)
			.bind("userIds", userIds)
			.bind("names", attendees.stream().map(Meeting.Attendee::name).toArray(String[]::new))
			.bind("emails", attendees.stream().map(Meeting.Attendee::email).toArray(String[]::new))
			.then();
		return remove.then(upsert);
	}

	/** A new time asks everyone again, as calendars do. */
	Mono<Void> resetResponses(UUID meetingId) {
		return this.db
			.sql("UPDATE meeting.meeting_attendees SET response = 'needs-action' WHERE meeting_id = :meetingId")
			.bind("meetingId", meetingId)
			.then();
	}

}
