package dev.seed.meetings.user.profile;


import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The migrations run against the real database; the R2DBC pool points at a port where nothing listens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class UserDatabaseDownTests {

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + TestStack.freePort() + "/test");
	}

	@Autowired
	private WebTestClient http;

	/** An unreachable database gives 503 problem+json with Retry-After, for reads and writes alike. */
	@Test
	void unreachableDatabaseIsServiceUnavailable() {
		this.http.get().uri("/api/users/u-1")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().exists(HttpHeaders.RETRY_AFTER);

		this.http.post().uri("/api/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"userId\":\"u-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"timezone\":\"UTC\"}")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
				.doesNotContainIgnoringCase("postgres").doesNotContain("127.0.0.1"));
	}

	/** Readiness turns DOWN with the database, so that traffic stops. */
	@Test
	void readinessIsDownWithoutTheDatabase() {
		this.http.get().uri("/actuator/health/readiness")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.components.r2dbc.status").isEqualTo("DOWN");
	}

	/** Liveness stays UP with the database gone and does not look at it: a database outage restarts no pod. */
	@Test
	void livenessIsUpWithoutTheDatabase() {
		this.http.get().uri("/actuator/health/liveness")
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.r2dbc").doesNotExist();
	}

	/** The warning logged while serving a request carries the caller's trace id (W3C traceparent) and X-Request-Id. */
	@Test
	void logsCarryTraceIdAndRequestId(CapturedOutput output) {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		this.http.get().uri("/api/users/u-1")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.header("X-Request-Id", "req-db-down-1")
			.exchange()
			.expectStatus().isEqualTo(503);

		assertThat(output.getOut().lines().filter(line -> line.contains("Database unavailable")))
			.anySatisfy(line -> assertThat(line).contains(traceId).contains("req-db-down-1"));
	}

}
