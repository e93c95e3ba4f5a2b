package dev.seed.meetings.meeting.booking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTests extends IntegrationTest {

	@LocalServerPort
	int port;

	/** 50 racing POSTs with one Idempotency-Key book one meeting, publish one event, and all answer 201 with its id. */
	@Test
	void concurrentRetriesBookOnce() throws Exception {
		List<String> ids = users.newUsers(2);
		String key = UUID.randomUUID().toString();
		String body = meetingJson("Race", ids);
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		try (EventQueue events = new EventQueue()) {
			Flux.range(0, 50)
				.flatMap((i) -> post(client, key, body), 50)
				.collectList()
				.as(StepVerifier::create)
				.assertNext((responses) -> {
					assertThat(responses).allSatisfy((response) -> assertThat(response.getStatusCode().value()).isEqualTo(201));
					Set<Object> meetingIds = responses.stream().map((r) -> r.getBody().get("meetingId")).collect(Collectors.toSet());
					assertThat(meetingIds).hasSize(1);
				})
				.verifyComplete();
			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE title = 'Race'")).isEqualTo(1);
			List<GetResponse> messages = events.drain(Duration.ofSeconds(1));
			assertThat(messages).hasSize(1);
		}
	}

	/** The same key with a different body is refused with 422 and books nothing more. */
	@Test
	void sameKeyDifferentBody() throws Exception {
		List<String> ids = users.newUsers(2);
		String key = UUID.randomUUID().toString();
		send(key, meetingJson("First", ids)).expectStatus().isCreated();
		send(key, meetingJson("First", ids)).expectStatus().isCreated();
		send(key, meetingJson("Second", ids)).expectStatus().isEqualTo(422)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE title IN ('First', 'Second')"))
			.isEqualTo(1);
	}

	/**
	 * While the first request with a key has not committed, a second one waits for it (5 s at most), then gets 409 and
	 * books nothing; once the first gave the key up, the same request books.
	 */
	@Test
	void keyStillInFlight() throws Exception {
		List<String> ids = users.newUsers(2);
		String key = UUID.randomUUID().toString();
		String body = meetingJson("In flight", ids);
		String booked = "SELECT count(*) FROM meeting.meetings WHERE title = 'In flight'";
		try (Connection first = TestStack.get().openJdbc()) {
			first.setAutoCommit(false);
			try (PreparedStatement claim = first.prepareStatement("INSERT INTO meeting.idempotency_keys "
					+ "(caller, key, request_hash, meeting_id, status) VALUES ('u-idem', ?, 'first', ?, 201)")) {
				claim.setString(1, key);
				claim.setObject(2, UUID.randomUUID());
				claim.executeUpdate();
			}
			send(this.http.mutate().responseTimeout(Duration.ofSeconds(15)).build(), key, body).expectStatus().isEqualTo(409)
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.title").isEqualTo("Request in flight");
			assertThat(BookingRollbackTests.count(booked)).isZero();
			first.rollback();
		}
		send(key, body).expectStatus().isCreated();
		assertThat(BookingRollbackTests.count(booked)).isEqualTo(1);
	}

	private WebTestClient.ResponseSpec send(String key, String body) {
		return send(this.http, key, body);
	}

	private static WebTestClient.ResponseSpec send(
			WebTestClient http, String key, String body) {
		return http.post().uri("/api/meetings").header("Idempotency-Key", key).header("X-User-Id", "u-idem")
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@SuppressWarnings("unchecked")
	private static Mono<ResponseEntity<Map<String, Object>>> post(WebClient client, String key, String body) {
		return client.post().uri("/api/meetings").header("Idempotency-Key", key).header("X-User-Id", "u-race")
			.header("X-Gateway-Token", GATEWAY_TOKEN)
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve()
			.toEntity(Map.class)
			.map((entity) -> (ResponseEntity<Map<String, Object>>) (ResponseEntity<?>) entity);
	}

}
