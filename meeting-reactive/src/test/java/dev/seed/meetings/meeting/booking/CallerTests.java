package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * X-User-Id names the organizer only when the gateway sent it: next to the gateway's token.
 */
class CallerTests extends IntegrationTest {

	/** With the gateway's token, X-User-Id is the organizer. */
	@Test
	void theGatewayNamesTheOrganizer() throws Exception {
		String meetingId = book(this.http, "Named by the gateway", "u-named").expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody().get("meetingId").toString();

		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE id = '" + meetingId
				+ "' AND organizer_id = 'u-named'")).isEqualTo(1);
	}

	/** X-User-Id without the token, or with another one: 403 problem, nothing written, no event. */
	@Test
	void anyoneElseNamingACallerIsRefused() throws Exception {
		try (EventQueue events = new EventQueue()) {
			refused(book(this.direct, "Named without a token", "u-someone"));
			refused(book(this.direct.mutate().defaultHeader("X-Gateway-Token", "a-guess").build(),
					"Named with a guessed token", "u-someone"));

			assertThat(BookingRollbackTests.count(
					"SELECT count(*) FROM meeting.meetings WHERE title LIKE 'Named with%' OR title LIKE 'Named without%'"))
				.isZero();
			assertThat(events.drain(Duration.ofMillis(300))).isEmpty();
		}
	}

	/** A request that names no caller books with no organizer, as before the gateway existed. */
	@Test
	void noCallerNamedBooksWithoutOrganizer() throws Exception {
		String meetingId = book(this.direct, "Named by nobody", null).expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody().get("meetingId").toString();

		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE id = '" + meetingId
				+ "' AND organizer_id IS NULL")).isEqualTo(1);
	}

	private static WebTestClient.ResponseSpec book(WebTestClient client, String title, String caller) {
		List<String> ids = users.newUsers(1);
		return client.post().uri("/api/meetings")
			.headers((headers) -> {
				if (caller != null) {
					headers.set("X-User-Id", caller);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson(title, ids))
			.exchange();
	}

	private static void refused(WebTestClient.ResponseSpec response) {
		response.expectStatus().isForbidden()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Untrusted caller");
	}

}
