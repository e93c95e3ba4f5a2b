package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** #18: the organizer changes and cancels a meeting; versions, ETags and the events that follow. */
class MeetingChangesTests extends IntegrationTest {

	private static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

	private static final String ORGANIZER = "u-organizer-18";

	private static final String NEW_TIME = "{\"startAt\":\"2027-03-02T15:00:00+09:00\",\"endAt\":\"2027-03-02T16:00:00+09:00\"}";

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	/** The first request of a cold context on a busy machine may take longer than the default 5 s. */
	@BeforeEach
	void patient() {
		this.http = this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

	/** Reschedule with the ETag read: 200, the new time, ETag "1"; a GET then shows version 1; the event is out. */
	@Test // #18
	void rescheduleWithTheEtag() throws Exception {
		List<String> ids = users.newUsers(2);
		String meetingId = book(ids);
		try (EventQueue events = new EventQueue("meeting.updated")) {
			get(meetingId).expectHeader().valueEquals("ETag", "\"0\"");
			JsonNode changed = patch(meetingId, ORGANIZER, "\"0\"", NEW_TIME).expectStatus().isOk()
				.expectHeader().valueEquals("ETag", "\"1\"")
				.expectBody(JsonNode.class).returnResult().getResponseBody();
			assertThat(changed.get("startAt").asString()).isEqualTo("2027-03-02T06:00:00Z");
			assertThat(changed.get("version").asInt()).isEqualTo(1);
			assertThat(changed.get("location").asString()).isEqualTo("Room 3F-A");
			get(meetingId).expectHeader().valueEquals("ETag", "\"1\"")
				.expectBody().jsonPath("$.startAt").isEqualTo("2027-03-02T06:00:00Z");

			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE routing_key = "
					+ "'meeting.updated' AND payload::jsonb ->> 'meetingId' = '" + meetingId + "'")).isEqualTo(1);
			List<GetResponse> messages = events.take(1, Duration.ofSeconds(5));
			assertThat(messages).hasSize(1);
			assertThat(messages.get(0).getProps().getType()).isEqualTo("MeetingUpdated");
			JsonNode event = this.json.readTree(EventQueue.body(messages.get(0)));
			assertThat(event.get("type").asString()).isEqualTo("MeetingUpdated");
			assertThat(event.get("sequence").asInt()).isEqualTo(1);
			assertThat(event.get("changed").toString()).isEqualTo("[\"startAt\",\"endAt\"]");
			assertThat(event.get("attendees")).hasSize(2);
			assertThat(event.get("added")).isEmpty();
			assertThat(event.get("removed")).isEmpty();
			assertThat(event.get("organizer").get("userId").asString()).isEqualTo(ORGANIZER);
			assertThat(event.get("attendees").get(0).has("timezone")).isTrue();
		}
	}

	/** Old ETag: 412 with the current version; none: 428; an attendee: 403; anyone else: 404; all problem+json. */
	@Test // #18
	void refusals() {
		List<String> ids = users.newUsers(2);
		String meetingId = book(ids);
		patch(meetingId, ORGANIZER, "\"0\"", "{\"title\":\"Renamed\"}").expectStatus().isOk();

		patch(meetingId, ORGANIZER, "\"0\"", NEW_TIME).expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals("ETag", "\"1\"")
			.expectBody().jsonPath("$.currentVersion").isEqualTo(1);
		patch(meetingId, ORGANIZER, null, NEW_TIME).expectStatus().isEqualTo(HttpStatus.PRECONDITION_REQUIRED)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		patch(meetingId, ids.get(0), "\"1\"", NEW_TIME).expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		patch(meetingId, "u-stranger", "\"1\"", NEW_TIME).expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		delete(meetingId, ids.get(1)).expectStatus().isForbidden();
		delete(meetingId, "u-stranger").expectStatus().isNotFound();
		get(meetingId).expectHeader().valueEquals("ETag", "\"1\"").expectBody().jsonPath("$.title").isEqualTo("Renamed");
	}

	/** The booking's rules hold for a change: 400 naming the field, 422 for unknown attendees; nothing changes, and a patch that changes nothing writes nothing. */
	@Test // #18
	void sameValidationAsBooking() throws Exception {
		List<String> ids = users.newUsers(2);
		String meetingId = book(ids);
		patch(meetingId, ORGANIZER, "\"0\"", "{\"endAt\":\"2027-03-01T09:00:00+09:00\"}").expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("endAt");
		patch(meetingId, ORGANIZER, "\"0\"", "{\"title\":null}").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("title");
		patch(meetingId, ORGANIZER, "\"0\"", "{\"status\":\"cancelled\"}").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("status");
		patch(meetingId, ORGANIZER, "\"0\"", "{\"attendees\":[\"" + ids.get(0) + "\",\"u-nobody-18\"]}")
			.expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody().jsonPath("$.unknownAttendees[0]").isEqualTo("u-nobody-18");
		get(meetingId).expectHeader().valueEquals("ETag", "\"0\"");
		patch(meetingId, ORGANIZER, "\"0\"", "{\"location\":\"Room 3F-A\"}").expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"0\"");
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE routing_key = "
				+ "'meeting.updated' AND payload::jsonb ->> 'meetingId' = '" + meetingId + "'")).isZero();
	}

	/** Attendees replaced: the event names who came and who went; a new time resets answers, a new title does not. */
	@Test // #18
	void attendeesAndAnswers() throws Exception {
		List<String> ids = users.newUsers(3);
		String meetingId = book(ids.subList(0, 2));
		answerAll(meetingId);
		try (EventQueue events = new EventQueue("meeting.updated")) {
			this.http.patch().uri("/api/meetings/" + meetingId).header("X-User-Id", ORGANIZER).header("If-Match", "\"0\"")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"title\":\"New title\",\"location\":null,\"attendees\":[\"" + ids.get(2) + "\",\"" + ids.get(0) + "\"]}")
				.exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.attendees[0].userId").isEqualTo(ids.get(2))
				.jsonPath("$.attendees[0].email").isEqualTo(ids.get(2) + "@example.test")
				.jsonPath("$.location").doesNotExist();
			assertThat(answered(meetingId, ids.get(0))).isEqualTo("accepted");
			assertThat(answered(meetingId, ids.get(2))).isEqualTo("needs-action");
			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meeting_attendees WHERE meeting_id = '"
					+ meetingId + "'")).isEqualTo(2);
			JsonNode event = this.json.readTree(EventQueue.body(events.take(1, Duration.ofSeconds(5)).get(0)));
			assertThat(event.get("added").get(0).get("userId").asString()).isEqualTo(ids.get(2));
			assertThat(event.get("removed").get(0).get("userId").asString()).isEqualTo(ids.get(1));
			assertThat(event.get("changed").toString()).isEqualTo("[\"title\",\"location\",\"attendees\"]");

			answerAll(meetingId);
			patch(meetingId, ORGANIZER, "\"1\"", NEW_TIME).expectStatus().isOk();
			assertThat(answered(meetingId, ids.get(0))).isEqualTo("needs-action");
			assertThat(answered(meetingId, ids.get(2))).isEqualTo("needs-action");
		}
	}

	/** 20 PATCHes with the same ETag at once: exactly one wins, the others get 412; one event, version 1. */
	@Test // #18
	void concurrentChangesNeverBothWin() throws Exception {
		String meetingId = book(users.newUsers(2));
		WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeader("X-Gateway-Token", GATEWAY_TOKEN).build();
		List<Integer> statuses = Flux.range(0, 20)
			.flatMap((i) -> client.patch().uri("/api/meetings/" + meetingId).header("X-User-Id", ORGANIZER)
				.header("If-Match", "\"0\"").contentType(MERGE_PATCH)
				.bodyValue("{\"title\":\"Concurrent " + i + "\"}")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())), 20)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).hasSize(20);
		assertThat(statuses.stream().filter((status) -> status == 200)).hasSize(1);
		assertThat(statuses.stream().filter((status) -> status == 412)).hasSize(19);
		get(meetingId).expectHeader().valueEquals("ETag", "\"1\"");
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE routing_key = "
				+ "'meeting.updated' AND payload::jsonb ->> 'meetingId' = '" + meetingId + "'")).isEqualTo(1);
	}

	/** DELETE: 204; the meeting stays readable as cancelled; a change is 409; MeetingCancelled with the next sequence. */
	@Test // #18
	void cancel() throws Exception {
		List<String> ids = users.newUsers(2);
		String meetingId = book(ids);
		patch(meetingId, ORGANIZER, "\"0\"", NEW_TIME).expectStatus().isOk();
		try (EventQueue events = new EventQueue("meeting.cancelled")) {
			delete(meetingId, ORGANIZER).expectStatus().isNoContent();
			get(meetingId).expectHeader().valueEquals("ETag", "\"2\"")
				.expectBody().jsonPath("$.status").isEqualTo("cancelled").jsonPath("$.version").isEqualTo(2);
			patch(meetingId, ORGANIZER, "\"2\"", "{\"title\":\"Too late\"}").expectStatus().isEqualTo(HttpStatus.CONFLICT)
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
			delete(meetingId, ORGANIZER).expectStatus().isNoContent();

			List<GetResponse> messages = events.take(2, Duration.ofSeconds(3));
			assertThat(messages).hasSize(1);
			JsonNode event = this.json.readTree(EventQueue.body(messages.get(0)));
			assertThat(event.get("type").asString()).isEqualTo("MeetingCancelled");
			assertThat(event.get("sequence").asInt()).isEqualTo(2);
			assertThat(event.get("status").asString()).isEqualTo("cancelled");
			assertThat(event.get("organizer").get("userId").asString()).isEqualTo(ORGANIZER);
			assertThat(event.get("attendees")).hasSize(2);
			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE routing_key = "
					+ "'meeting.cancelled' AND published_at IS NOT NULL AND payload::jsonb ->> 'meetingId' = '"
					+ meetingId + "'")).isEqualTo(1);
		}
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE id = '" + meetingId
				+ "' AND status = 'cancelled' AND version = 2")).isEqualTo(1);
	}

	private String book(List<String> attendees) {
		Map<?, ?> body = this.http.post().uri("/api/meetings").header("X-User-Id", ORGANIZER)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Lifecycle " + TestStack.get().runId(), attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().valueEquals("ETag", "\"0\"")
			.expectBody(Map.class).returnResult().getResponseBody();
		return (String) body.get("meetingId");
	}

	private WebTestClient.ResponseSpec get(String meetingId) {
		return this.http.get().uri("/api/meetings/" + meetingId).header("X-User-Id", ORGANIZER).exchange()
			.expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec patch(String meetingId, String caller, String ifMatch, String body) {
		WebTestClient.RequestBodySpec request = this.http.patch().uri("/api/meetings/" + meetingId)
			.header("X-User-Id", caller).contentType(MERGE_PATCH);
		if (ifMatch != null) {
			request = request.header("If-Match", ifMatch);
		}
		return request.bodyValue(body).exchange();
	}

	private WebTestClient.ResponseSpec delete(String meetingId, String caller) {
		return this.http.delete().uri("/api/meetings/" + meetingId).header("X-User-Id", caller).exchange();
	}

	private static void answerAll(String meetingId) throws Exception {
		try (var jdbc = TestStack.get().openJdbc()) {
			jdbc.createStatement().executeUpdate("UPDATE meeting.meeting_attendees SET response = 'accepted' "
					+ "WHERE meeting_id = '" + UUID.fromString(meetingId) + "'");
		}
	}

	private static String answered(String meetingId, String userId) throws Exception {
		try (var jdbc = TestStack.get().openJdbc(); var rows = jdbc.createStatement().executeQuery(
				"SELECT response FROM meeting.meeting_attendees WHERE meeting_id = '" + meetingId + "' AND user_id = '"
						+ userId + "'")) {
			rows.next();
			return rows.getString(1);
		}
	}

}
