package dev.seed.meetings.user.ops;

import dev.seed.meetings.user.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The probes and the metrics endpoint that deployments rely on. */
class OperationsEndpointsTests extends IntegrationTest {

	/** Readiness is UP and is made of the readiness state and PostgreSQL. */
	@Test
	void readinessIncludesTheDatabase() {
		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.readinessState.status").isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status").isEqualTo("UP");
	}

	/** Prometheus scrapes the HTTP server metrics in its text format. */
	@Test
	void prometheusServesMetrics() {
		this.http.get().uri("/api/users/{id}", "nobody").exchange().expectStatus().isNotFound();

		this.http.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.value(text -> assertThat(text).contains("http_server_requests_seconds_count"));
	}

}
