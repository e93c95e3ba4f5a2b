package dev.seed.meetings.gateway;

import dev.seed.meetings.testsupport.TestStack;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Probes, metrics, trace context, request ids in the logs, and the API documentation, all without a token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	static final Upstream users = new Upstream();

	static final Upstream notifier = new Upstream();

	static final int DEAD_PORT = TestStack.freePort();

	static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		registry.add("gateway.meeting-service-url", () -> "http://127.0.0.1:" + DEAD_PORT);
		registry.add("gateway.user-service-url", users::url);
		registry.add("gateway.notifier-service-url", notifier::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
	}

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void resetUpstreams() throws InterruptedException {
		users.reset();
		notifier.reset();
	}

	/** Readiness is UP and made of the readiness state and Redis; liveness is UP without Redis. */
	@Test
	void probesAreOpenAndListTheirComponents() {
		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.readinessState.status").isEqualTo("UP")
			.jsonPath("$.components.redis.status").isEqualTo("UP");
		this.http.get().uri("/actuator/health/liveness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.redis").doesNotExist();
	}

	/** Prometheus is scraped without a token and shows the gateway's request metrics. */
	@Test
	void prometheusIsOpen() {
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.value(text -> assertThat(text).contains("http_server_requests_seconds_count"));
	}

	/**
	 * A caller's W3C trace context is continued to the service: same trace id, the gateway's own span as parent. The
	 * gateway reads no baggage; a caller's baggage header reaches the service as it was sent.
	 */
	@Test
	void traceparentIsContinuedToTheService() throws InterruptedException {
		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.header("traceparent", TRACEPARENT)
			.header("baggage", "tenant=acme,region=eu")
			.exchange()
			.expectStatus().isOk();

		RecordedRequest received = users.next();
		assertThat(received.getHeaders().get("traceparent")).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01")
			.isNotEqualTo(TRACEPARENT);
		assertThat(received.getHeaders().values("baggage")).containsExactly("tenant=acme,region=eu");
	}

	/** A gateway without gateway.service-token forwards none, not even one that a client sent. */
	@Test
	void noServiceTokenIsForwardedWhenNoneIsSet() throws InterruptedException {
		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.header("X-Gateway-Token", "a-guess")
			.exchange()
			.expectStatus().isOk();

		assertThat(users.next().getHeaders().values("X-Gateway-Token")).isEmpty();
	}

	/** Without a caller's trace context the gateway starts a trace, and the service receives it. */
	@Test
	void traceStartsAtTheGateway() throws InterruptedException {
		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isOk();

		RecordedRequest received = users.next();
		assertThat(received.getHeaders().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
	}

	/** The gateway's log line about a failed route names the trace id and the request id. */
	@Test
	void logsCarryTraceIdAndRequestId(CapturedOutput output) {
		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.header("traceparent", TRACEPARENT)
			.header("X-Request-Id", "req-observed-1")
			.exchange()
			.expectStatus().isEqualTo(503);

		assertThat(output.getOut().lines().filter(line -> line.contains("service unreachable")))
			.anySatisfy(line -> assertThat(line).contains(TRACE_ID).contains("req-observed-1"));
	}

	/** A service's OpenAPI document is routed, without a token, to that service's /v3/api-docs. */
	@Test
	void serviceDocumentsAreRoutedWithoutToken() throws InterruptedException {
		this.http.get().uri("/v3/api-docs/invitations").exchange().expectStatus().isOk();
		assertThat(notifier.next().getTarget()).isEqualTo("/v3/api-docs");

		this.http.get().uri("/v3/api-docs/users").exchange().expectStatus().isOk();
		assertThat(users.next().getTarget()).isEqualTo("/v3/api-docs");
	}

	/** The browsable UI is open and lists the three services' documents. */
	@Test
	@SuppressWarnings("unchecked")
	void swaggerUiListsTheServices() {
		this.http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
		this.http.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
		this.http.get().uri("/v3/api-docs/swagger-config").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.urls[*].url")
			.value(urls -> assertThat((Iterable<Object>) urls).containsExactlyInAnyOrder("/v3/api-docs/meetings",
					"/v3/api-docs/users", "/v3/api-docs/invitations"));
	}

}
