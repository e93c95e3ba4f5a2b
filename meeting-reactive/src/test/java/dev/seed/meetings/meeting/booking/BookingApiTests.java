package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import dev.seed.meetings.meeting.cache.CacheKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BookingApiTests extends IntegrationTest {

	private static final Logger log = LoggerFactory.getLogger(BookingApiTests.class);

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	CacheKeys keys;

	@Autowired
	JsonMapper json;

	/** POST books the meeting: row, both cache keys with their TTL, a confirmed MeetingCreated with every field. */
	@Test
	void bookingWritesCachesAndPublishes() throws Exception {
		List<String> ids = users.newUsers(2);
		try (EventQueue events = new EventQueue()) {
			Map<?, ?> body = this.http.post()
				.uri("/api/meetings")
				.header("X-User-Id", "u-organizer")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(meetingJson("Design review", ids))
				.exchange()
				.expectStatus().isCreated()
				.expectHeader().valueMatches("Location", "/api/meetings/[0-9a-f-]{36}")
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
			String meetingId = (String) body.get("meetingId");
			assertThat(body.get("status")).isEqualTo("scheduled");
			// time-ordered (version 7), so that each insert goes to the end of the keyed indexes
			assertThat(UUID.fromString(meetingId).version()).isEqualTo(7);

			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings WHERE id = '" + meetingId
					+ "' AND organizer_id = 'u-organizer'")).isEqualTo(1);
			assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meeting_attendees WHERE meeting_id = '"
					+ meetingId + "'")).isEqualTo(2);
			// the fast path's confirm is recorded by the next mark pass (meeting.outbox.mark-interval), the relay being off
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox "
						+ "WHERE payload LIKE '%" + meetingId + "%' AND published_at IS NOT NULL")).isEqualTo(1));
			assertTtl(this.keys.meetingInfo(UUID.fromString(meetingId)));
			ids.forEach((id) -> assertTtl(this.keys.userProfile(id)));

			List<GetResponse> messages = events.take(1, Duration.ofSeconds(5));
			assertThat(messages).hasSize(1);
			GetResponse message = messages.get(0);
			assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
			assertThat(message.getProps().getContentType()).isEqualTo("application/json");
			JsonNode event = this.json.readTree(EventQueue.body(message));
			assertThat(message.getProps().getMessageId()).isEqualTo(event.get("eventId").asString());
			assertThat(UUID.fromString(event.get("eventId").asString()).version()).isEqualTo(7);
			assertThat(event.get("type").asString()).isEqualTo("MeetingCreated");
			assertThat(event.get("occurredAt").asString()).endsWith("Z");
			assertThat(event.get("meetingId").asString()).isEqualTo(meetingId);
			assertThat(event.get("title").asString()).isEqualTo("Design review");
			assertThat(event.get("startAt").asString()).isEqualTo("2027-03-01T01:00:00Z");
			assertThat(event.get("endAt").asString()).isEqualTo("2027-03-01T02:00:00Z");
			assertThat(event.get("location").asString()).isEqualTo("Room 3F-A");
			assertThat(event.get("organizerId").asString()).isEqualTo("u-organizer");
			assertThat(event.get("attendees")).hasSize(2);
			assertThat(event.get("attendees").get(0).get("userId").asString()).isEqualTo(ids.get(0));
			assertThat(event.get("attendees").get(0).get("name").asString()).isEqualTo("User 0");
			assertThat(event.get("attendees").get(0).get("email").asString()).isEqualTo(ids.get(0) + "@example.test");
			assertThat(event.get("attendees").get(0).get("timezone").asString()).isEqualTo("Asia/Tokyo");
			// not in the directory: the booking goes on, the event names the organizer by id only
			assertThat(event.get("organizer").get("userId").asString()).isEqualTo("u-organizer");
			assertThat(event.get("organizer").get("name").isNull()).isTrue();
			assertThat(event.get("organizer").get("email").isNull()).isTrue();
			assertThat(events.drain(Duration.ofMillis(300))).isEmpty();

			getAndCheck(meetingId, ids);
			this.redis.delete(this.keys.meetingInfo(UUID.fromString(meetingId)))
				.as(StepVerifier::create).expectNext(1L).verifyComplete();
			getAndCheck(meetingId, ids);
			assertTtl(this.keys.meetingInfo(UUID.fromString(meetingId)));
		}
	}

	/** Ten uncached attendees behind a directory that takes 200 ms each are looked up concurrently: well under 1 s. */
	@Test
	void attendeeLookupsRunConcurrently() {
		List<String> ids = users.newUsers(10);
		users.delay(200);
		long started = System.nanoTime();
		this.http.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Fan-out", ids))
			.exchange()
			.expectStatus().isCreated();
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		log.info("POST /api/meetings with 10 uncached attendees at 200 ms each took {} ms", millis);
		assertThat(users.requestedIds()).hasSize(10);
		assertThat(millis).isLessThan(1000);
	}

	/**
	 * Waves of bookings whose attendees all miss the cache at once (their profiles expired together) behind a
	 * directory that answers in 1.2 s, slow but inside its timeout: every booking is made. The breaker used to count
	 * these answers as slow calls and open, refusing the next waves with 503.
	 */
	@Test
	void burstsOfSlowLookupsAreServed() {
		users.delay(1_200);
		for (int wave = 0; wave < 3; wave++) {
			List<String> statuses = Flux.range(0, 8)
				.flatMap((booking) -> Mono.fromCallable(() -> this.http.post()
					.uri("/api/meetings")
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(meetingJson("Wave " + booking, users.newUsers(2)))
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.toString()).subscribeOn(Schedulers.boundedElastic()))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(statuses).as("wave %d", wave).hasSize(8).allMatch((status) -> status.startsWith("201"));
		}
		assertThat(users.requestedIds()).hasSize(48);
	}

	/** GET of an unknown meeting is a 404 problem; a malformed id is a 400 problem. */
	@Test
	void getUnknownOrMalformed() {
		this.http.get().uri("/api/meetings/{id}", UUID.randomUUID()).exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.get().uri("/api/meetings/not-a-uuid").exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("meetingId");
	}

	private void getAndCheck(String meetingId, List<String> ids) {
		this.http.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("X-User-Id", ids.get(0))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.OK)
			.expectBody()
			.jsonPath("$.meetingId").isEqualTo(meetingId)
			.jsonPath("$.title").isEqualTo("Design review")
			.jsonPath("$.startAt").isEqualTo("2027-03-01T01:00:00Z")
			.jsonPath("$.status").isEqualTo("scheduled")
			.jsonPath("$.attendees.length()").isEqualTo(2)
			.jsonPath("$.attendees[1].userId").isEqualTo(ids.get(1));
	}

	private void assertTtl(String key) {
		this.redis.getExpire(key)
			.as(StepVerifier::create)
			.assertNext((ttl) -> assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(600)))
			.verifyComplete();
	}

}
