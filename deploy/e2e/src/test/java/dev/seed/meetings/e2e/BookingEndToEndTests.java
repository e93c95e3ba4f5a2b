package dev.seed.meetings.e2e;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.rabbitmq.client.GetResponse;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The seed flow UFR-MEET-010 through the gateway's real port, with all four services on the real servers. */
class BookingEndToEndTests extends EndToEndTest {

	private static String queue;

	private static RedisClient redisClient;

	private static StatefulRedisConnection<String, String> redis;

	@BeforeAll
	static void connect() throws Exception {
		queue = bindEventQueue("e2e.booking.meeting.created");
		redisClient = RedisClient.create("redis://" + system.stack.redisHost() + ":" + system.stack.redisPort());
		redis = redisClient.connect();
	}

	@AfterAll
	static void closeRedis() {
		redis.close();
		redisClient.shutdown();
	}

	/** A booking through the gateway stores the meeting, caches profiles and meeting, publishes the event, mails everyone. */
	@Test
	void bookingGoesThroughEveryStepOfTheSeedFlow() throws Exception {
		String organizer = createUser("org");
		List<String> attendees = List.of(createUser("a"), createUser("b"), createUser("c"));
		String prefix = system.stack.redisKeyPrefix();

		byte[] response = client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("title", "Design review " + run, "startAt", "2026-12-01T10:00:00+09:00", "endAt",
					"2026-12-01T11:00:00+09:00", "location", "Room 3F-A", "attendees", attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().valueMatches("Location", "/api/meetings/[0-9a-f-]{36}")
			.expectBody().jsonPath("$.status").isEqualTo("scheduled")
			.returnResult().getResponseBody();
		String meetingId = json.readTree(response).get("meetingId").asString();

		try (Connection db = system.stack.openJdbc();
				PreparedStatement query = db.prepareStatement(
						"select title, organizer_id, start_at, location from meeting.meetings where id = ?::uuid")) {
			query.setString(1, meetingId);
			try (ResultSet row = query.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString("title")).isEqualTo("Design review " + run);
				assertThat(row.getString("organizer_id")).isEqualTo(organizer);
				assertThat(row.getObject("start_at", java.time.OffsetDateTime.class).toInstant())
					.isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
			}
		}
		for (String key : List.of(prefix + "meeting:info:" + meetingId, prefix + "user:profile:" + attendees.get(0))) {
			assertThat(redis.sync().ttl(key)).as("TTL of %s", key).isBetween(1L, 600L);
		}

		JsonNode event = nextEventFor(meetingId);
		assertThat(event.get("type").asString()).isEqualTo("MeetingCreated");
		assertThat(event.get("eventId").asString()).isNotBlank();
		assertThat(Instant.parse(event.get("occurredAt").asString())).isBefore(Instant.now().plusSeconds(1));
		assertThat(event.get("title").asString()).isEqualTo("Design review " + run);
		assertThat(java.time.OffsetDateTime.parse(event.get("startAt").asString()).toInstant())
			.isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
		assertThat(java.time.OffsetDateTime.parse(event.get("endAt").asString()).toInstant())
			.isEqualTo(Instant.parse("2026-12-01T02:00:00Z"));
		assertThat(event.get("location").asString()).isEqualTo("Room 3F-A");
		assertThat(event.get("organizerId").asString()).isEqualTo(organizer);
		assertThat(event.get("attendees").valueStream().map(a -> a.get("userId").asString())).containsExactlyElementsOf(attendees);
		assertThat(event.get("attendees").get(0).get("email").asString()).isEqualTo(attendees.get(0) + "@example.com");
		assertThat(event.get("attendees").get(0).get("name").asString()).isEqualTo("Name " + attendees.get(0));

		client.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.meetingId").isEqualTo(meetingId)
			.jsonPath("$.title").isEqualTo("Design review " + run)
			.jsonPath("$.attendees.length()").isEqualTo(3);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mailsTo(attendees)).isEqualTo(3));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get()
			.uri("/api/meetings/{id}/invitations", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.invitations.length()").isEqualTo(3)
			.jsonPath("$.invitations[?(@.status != 'SENT')]").isEmpty());
	}

	/** An unknown attendee is refused with 422 listing it, and nothing is stored, cached or published. */
	@Test
	void unknownAttendeeWritesNothing() throws Exception {
		String organizer = createUser("org");
		String missing = "nobody-" + run;
		String title = "Never booked " + run;
		client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("title", title, "startAt", "2026-12-01T10:00:00+09:00", "endAt",
					"2026-12-01T11:00:00+09:00", "attendees", List.of(createUser("x"), missing)))
			.exchange()
			.expectStatus().isEqualTo(422)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.unknownAttendees[0]").isEqualTo(missing);

		try (Connection db = system.stack.openJdbc();
				PreparedStatement query = db.prepareStatement("select count(*) from meeting.meetings where title = ?")) {
			query.setString(1, title);
			try (ResultSet row = query.executeQuery()) {
				row.next();
				assertThat(row.getInt(1)).isZero();
			}
		}
		await("no MeetingCreated of the refused booking").during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.pollInSameThread()
			.untilAsserted(() -> {
				GetResponse message;
				while ((message = channel.basicGet(queue, true)) != null) {
					assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).doesNotContain(title);
				}
			});
	}

	/** Without a token the gateway refuses with 401 problem+json before any service is reached. */
	@Test
	void bookingNeedsAToken() {
		client.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private JsonNode nextEventFor(String meetingId) {
		return await("MeetingCreated for " + meetingId).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.pollInSameThread()
			.until(() -> eventFor(meetingId), Objects::nonNull);
	}

	/** The first message waiting in the queue that is about {@code meetingId}, or null; the others are dropped. */
	private JsonNode eventFor(String meetingId) throws Exception {
		GetResponse message;
		while ((message = channel.basicGet(queue, true)) != null) {
			assertThat(message.getProps().getContentType()).isEqualTo("application/json");
			assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
			JsonNode event = json.readTree(message.getBody());
			if (meetingId.equals(event.get("meetingId").asString())) {
				assertThat(message.getProps().getMessageId()).isEqualTo(event.get("eventId").asString());
				return event;
			}
		}
		return null;
	}

}
