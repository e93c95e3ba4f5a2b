package dev.seed.meetings.gateway;

import java.util.concurrent.TimeUnit;

import dev.seed.meetings.testsupport.TestStack;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayUpstreamFailureTests {

	static final Upstream users = new Upstream();

	static final int DEAD_PORT = TestStack.freePort();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		registry.add("gateway.meeting-service-url", () -> "http://127.0.0.1:" + DEAD_PORT);
		registry.add("gateway.user-service-url", users::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
		registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "1s");
	}

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void resetUpstream() throws InterruptedException {
		users.reset();
	}

	/** A service that is not running gives 503 problem+json with Retry-After, not a stack trace. */
	@Test
	void serviceDownIsServiceUnavailable() {
		post("/api/meetings")
			.expectStatus().isEqualTo(503)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.status").isEqualTo(503)
			.jsonPath("$.trace").doesNotExist();
	}

	/** A POST without Idempotency-Key whose connection drops reaches the service once: 502, no retry. */
	@Test
	void failedPostIsNotRetried() throws InterruptedException {
		users.answer(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
		int before = users.requestCount();

		post("/api/users")
			.expectStatus().isEqualTo(502)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

		TimeUnit.MILLISECONDS.sleep(300);
		assertThat(users.requestCount() - before).isEqualTo(1);
	}

	/** A service's own 503 is passed on as it is, and the POST is still sent only once. */
	@Test
	void serviceErrorIsPassedOnWithoutRetry() throws InterruptedException {
		users.answer(new MockResponse.Builder().code(503)
			.setHeader("Content-Type", "application/problem+json")
			.body("{\"status\":503,\"title\":\"Service Unavailable\"}")
			.build());
		int before = users.requestCount();

		post("/api/users")
			.expectStatus().isEqualTo(503)
			.expectBody().jsonPath("$.title").isEqualTo("Service Unavailable");

		TimeUnit.MILLISECONDS.sleep(300);
		assertThat(users.requestCount() - before).isEqualTo(1);
	}

	/**
	 * A service slower than the response timeout gives 504 problem+json with Retry-After within the bound, telling
	 * the client to retry with its Idempotency-Key (the service may still complete the request).
	 */
	@Test
	void slowServiceTimesOut() {
		users.answer(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).body("late").build());
		long start = System.nanoTime();

		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isEqualTo(504)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectBody()
			.jsonPath("$.status").isEqualTo(504)
			.jsonPath("$.type").isEqualTo("about:blank")
			.jsonPath("$.detail").value((detail) -> assertThat((String) detail).contains("Idempotency-Key"));

		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
	}

	/** A POST with an Idempotency-Key that outlasts the response timeout: the same 504, after the timeout, not before. */
	@Test
	void slowPostTimesOutWithRetryAfter() {
		users.answer(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).body("late").build());
		long start = System.nanoTime();

		this.http.post().uri("/api/users")
			.headers(headers -> {
				headers.setBearerAuth(Tokens.forUser(Tokens.newUserId()));
				headers.set("Idempotency-Key", "slow-1");
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"title\":\"Design review\"}")
			.exchange()
			.expectStatus().isEqualTo(504)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().exists(HttpHeaders.RETRY_AFTER);

		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 4000L);
	}

	private WebTestClient.ResponseSpec post(String path) {
		return this.http.post().uri(path)
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"title\":\"Design review\"}")
			.exchange();
	}

}
