package dev.seed.meetings.meeting.booking;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import dev.seed.meetings.meeting.events.MeetingCreated;

import static org.assertj.core.api.Assertions.assertThat;

public class BookingRollbackTests extends IntegrationTest {

	@Autowired
	MeetingBooking booking;

	/** A failure after the meeting and its attendees were inserted (the outbox insert) leaves nothing behind. */
	@Test
	void failureAfterTheInsertRollsEverythingBack() throws Exception {
		UUID eventId = UUID.randomUUID();
		Meeting first = meeting();
		this.booking.saveAtomically(first, event(first, eventId)).as(StepVerifier::create).expectNextCount(1)
			.verifyComplete();

		// the same event id breaks the outbox's unique constraint, after both meeting inserts succeeded
		Meeting second = meeting();
		this.booking.saveAtomically(second, event(second, eventId)).as(StepVerifier::create).expectError().verify();

		assertThat(count("SELECT count(*) FROM meeting.meetings WHERE id = '" + first.meetingId() + "'")).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM meeting.meetings WHERE id = '" + second.meetingId() + "'")).isZero();
		assertThat(count("SELECT count(*) FROM meeting.meeting_attendees WHERE meeting_id = '" + second.meetingId()
				+ "'")).isZero();
		assertThat(count("SELECT count(*) FROM meeting.outbox WHERE event_id = '" + eventId + "'")).isEqualTo(1);
	}

	private static Meeting meeting() {
		OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.MINUTES);
		return new Meeting(UUID.randomUUID(), "Rollback", start, start.plusHours(1), null, "u-org", Meeting.SCHEDULED,
				OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
				List.of(new Meeting.Attendee("u-a", "A", "a@x.test"), new Meeting.Attendee("u-b", "B", "b@x.test")));
	}

	private static MeetingCreated event(Meeting meeting, UUID eventId) {
		return new MeetingCreated(eventId, MeetingCreated.TYPE, Instant.now(), meeting.meetingId(), meeting.title(),
				meeting.startAt(), meeting.endAt(), null, "u-org", new MeetingCreated.Organizer("u-org", null, null, null),
				List.of());
	}

	public static long count(String sql) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc(); ResultSet rows = jdbc.createStatement().executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

}
