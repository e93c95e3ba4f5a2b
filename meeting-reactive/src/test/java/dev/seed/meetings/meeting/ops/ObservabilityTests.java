package dev.seed.meetings.meeting.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.Readiness;
import dev.seed.meetings.testsupport.TestStack;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Probes, the project's own meters and the trace context of a booking, with a user directory of its own that
 * records the headers it receives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class ObservabilityTests {

	static final MockWebServer directory = directory();

	static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("meeting.cache.key-prefix", () -> TestStack.get().redisKeyPrefix());
		registry.add("meeting.user-service.base-url", () -> "http://127.0.0.1:" + directory.getPort());
	}

	@Autowired
	private WebTestClient http;

	@AfterAll
	static void stopDirectory() {
		directory.close();
	}

	/** Readiness is UP and made of the readiness state, PostgreSQL, Redis and our RabbitMQ connection. */
	@Test
	void readinessIncludesDatabaseCacheAndBroker() throws InterruptedException {
		Readiness.await(this.http);
		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.readinessState.status").isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status").isEqualTo("UP")
			.jsonPath("$.components.redis.status").isEqualTo("UP")
			.jsonPath("$.components.rabbit.status").isEqualTo("UP");
		this.http.get().uri("/actuator/health/liveness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.rabbit").doesNotExist();
	}

	/** Readiness goes DOWN while the broker connection is closed, and UP again once automatic recovery reopens it. */
	@Test
	void readinessFollowsTheBrokerConnection() throws InterruptedException {
		assumeTrue(TestStack.get().isRabbitMq(), "needs a real RabbitMQ and rabbitmqctl to close our connection");
		Readiness.await(this.http);
		TestStack.closeConnection("meeting-reactive", "readiness test");

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.rabbit.status").isEqualTo("DOWN");
		Readiness.await(this.http);
	}

	/**
	 * After a booking, Prometheus shows the meters of the booking flow, and both the user directory and MeetingCreated
	 * (its AMQP headers) carry the caller's trace.
	 */
	@Test
	void bookingIsMeteredAndTraced() throws Exception {
		Readiness.await(this.http);
		try (EventQueue events = new EventQueue()) {
			Map<?, ?> booked = this.http.post().uri("/api/meetings")
				.contentType(MediaType.APPLICATION_JSON)
				.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
				.header("X-Request-Id", "req-booking-1")
				.bodyValue(meetingJson(List.of("u-" + UUID.randomUUID(), "u-" + UUID.randomUUID())))
				.exchange()
				.expectStatus().isCreated()
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();

			RecordedRequest lookup = directory.takeRequest(5, TimeUnit.SECONDS);
			assertThat(lookup).isNotNull();
			assertThat(lookup.getHeaders().get("traceparent")).startsWith("00-" + TRACE_ID + "-");

			String meetingId = (String) booked.get("meetingId");
			List<GetResponse> published = events.take(1, Duration.ofSeconds(10));
			assertThat(published).filteredOn((message) -> EventQueue.body(message).contains(meetingId))
				.singleElement()
				.satisfies((message) -> assertThat(String.valueOf(message.getProps().getHeaders().get("traceparent")))
					.startsWith("00-" + TRACE_ID + "-"));
		}

		this.http.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.value(text -> assertThat(text).contains("meeting_booked_total",
					"meeting_attendee_cache_total{result=\"miss\"}", "meeting_attendee_cache_total{result=\"hit\"}",
					"meeting_attendee_fanout_seconds_count{outcome=\"success\"}",
					"meeting_events_confirm_seconds_count{outcome=\"ack\"}", "meeting_outbox_unpublished",
					"meeting_outbox_oldest_age", "meeting_booking_stage_seconds_count{stage=\"resolve\"}",
					"meeting_booking_stage_seconds_count{stage=\"save\"}",
					"meeting_booking_stage_seconds_count{stage=\"cache\"}",
					"meeting_booking_stage_seconds_count{stage=\"publish\"}"));
	}

	private static String meetingJson(List<String> attendees) {
		return "{\"title\":\"Observed\",\"startAt\":\"2027-03-01T10:00:00+09:00\",\"endAt\":\"2027-03-01T11:00:00+09:00\","
				+ "\"attendees\":[\"" + String.join("\",\"", attendees) + "\"]}";
	}

	/** Knows every id it is asked for. */
	private static MockWebServer directory() {
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String path = request.getUrl().encodedPath();
				String id = path.substring(path.lastIndexOf('/') + 1);
				return new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body("{\"userId\":\"" + id + "\",\"name\":\"User\",\"email\":\"" + id
							+ "@example.test\",\"timezone\":\"UTC\"}")
					.build();
			}
		});
		try {
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return server;
	}

}
