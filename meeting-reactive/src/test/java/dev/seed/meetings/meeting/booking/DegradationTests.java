package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.List;

import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class DegradationTests extends IntegrationTest {

	/** A user directory that only answers 503 gives a 503 problem with Retry-After, after bounded retries; nothing is written. */
	@Test
	void userDirectoryDownGives503AndWritesNothing() throws Exception {
		List<String> ids = users.newUsers(1);
		users.failWith(503);
		long meetingsBefore = BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings");
		try (EventQueue events = new EventQueue()) {
			this.http.post()
				.uri("/api/meetings")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(meetingJson("Directory down", ids))
				.exchange()
				.expectStatus().isEqualTo(503)
				.expectHeader().exists("Retry-After")
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
			// the first try and the two retries of the default settings
			assertThat(users.requestedIds()).hasSize(3);
			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings")).isEqualTo(meetingsBefore);
			assertThat(events.drain(Duration.ofMillis(300))).isEmpty();
		}
	}

}
