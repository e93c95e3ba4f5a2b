package dev.seed.meetings.gateway;

import java.time.Instant;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayIntegrationTests {

	static final Upstream meetings = new Upstream();

	static final Upstream users = new Upstream();

	static final Upstream notifier = new Upstream();

	static final int BURST = 5;

	static final String SERVICE_TOKEN = "service-token-of-this-test";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		registry.add("gateway.meeting-service-url", meetings::url);
		registry.add("gateway.user-service-url", users::url);
		registry.add("gateway.notifier-service-url", notifier::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
		registry.add("gateway.rate-limit.replenish-rate", () -> 1);
		registry.add("gateway.rate-limit.burst-capacity", () -> BURST);
		registry.add("gateway.max-request-bytes", () -> "1KB");
		registry.add("gateway.cors.allowed-origins", () -> "https://app.example");
		registry.add("gateway.service-token", () -> SERVICE_TOKEN);
	}

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void resetUpstreams() throws InterruptedException {
		meetings.reset();
		users.reset();
		notifier.reset();
	}

	/** Each public path reaches the right service with its method and path unchanged. */
	@Test
	void routesEachPathToItsService() throws InterruptedException {
		assertRouted(HttpMethod.POST, "/api/meetings", meetings);
		assertRouted(HttpMethod.GET, "/api/meetings?from=2026-01-01T00:00:00Z", meetings);
		assertRouted(HttpMethod.GET, "/api/meetings/m-1", meetings);
		assertRouted(HttpMethod.GET, "/api/meetings/stream", meetings);
		assertRouted(HttpMethod.GET, "/api/users/u-1001", users);
		assertRouted(HttpMethod.POST, "/api/users", users);
	}

	/**
	 * The invitations path goes to the notifier although it also matches /api/meetings/**, once meeting-reactive said
	 * that the caller may see the meeting (asked as the caller).
	 */
	@Test
	void invitationsRouteWinsOverMeetings() throws InterruptedException {
		assertRouted(HttpMethod.GET, "/api/meetings/m-42/invitations", notifier);
		RecordedRequest check = meetings.next();
		assertThat(check.getMethod()).isEqualTo("GET");
		assertThat(check.getTarget()).isEqualTo("/api/meetings/m-42");
		assertThat(check.getHeaders().get("X-User-Id")).startsWith("u-");
		assertThat(check.getHeaders().get("X-Gateway-Token")).isEqualTo(SERVICE_TOKEN);
		assertThat(meetings.next()).isNull();
	}

	/** A caller meeting-reactive does not show the meeting to gets its 404, and the notifier is never asked. */
	@Test // #16
	void invitationsOfAMeetingNotOneOfTheCallersAreNotFound() throws InterruptedException {
		meetings.answer(new MockResponse.Builder().code(404)
			.setHeader("Content-Type", "application/problem+json")
			.body("{\"status\":404}")
			.build());
		get("/api/meetings/m-42/invitations", Tokens.forUser(Tokens.newUserId()))
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(notifier.next()).isNull();
	}

	/** The token's scopes reach the services in X-User-Scopes; a client's own X-User-Scopes never does. */
	@Test // #16
	void scopesAreRelayedAndSpoofingIsStripped() throws InterruptedException {
		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId(), "meetings:admin profile")))
			.exchange()
			.expectStatus().isOk();
		assertThat(meetings.next().getHeaders().values("X-User-Scopes")).containsExactly("meetings:admin profile");

		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.header("X-User-Scopes", "meetings:admin")
			.exchange()
			.expectStatus().isOk();
		assertThat(meetings.next().getHeaders().values("X-User-Scopes")).isEmpty();
	}

	/**
	 * X-User-Id is the token's subject, and X-Gateway-Token the configured one; values sent by the client never reach
	 * the service.
	 */
	@Test
	void userIdComesFromTheTokenAndSpoofingIsStripped() throws InterruptedException {
		String user = Tokens.newUserId();
		this.http.post().uri("/api/meetings")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(user)))
			.header("X-User-Id", "u-someone-else")
			.header("X-Gateway-Token", "a-guess")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus().isOk();

		RecordedRequest received = meetings.next();
		assertThat(received.getHeaders().values("X-User-Id")).containsExactly(user);
		assertThat(received.getHeaders().values("X-Gateway-Token")).containsExactly(SERVICE_TOKEN);
	}

	/** Without a client id the gateway makes one; it is the same on the service side and on the answer. */
	@Test
	void requestIdIsGeneratedAndPropagated() throws InterruptedException {
		String responseId = this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Request-Id");

		assertThat(responseId).isNotBlank();
		assertThat(users.next().getHeaders().get("X-Request-Id")).isEqualTo(responseId);
	}

	/** A client's well-formed request id is kept; a malformed one is replaced. */
	@Test
	void clientRequestIdIsKeptOnlyWhenWellFormed() throws InterruptedException {
		String token = Tokens.forUser(Tokens.newUserId());
		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(token))
			.header("X-Request-Id", "client-123")
			.exchange()
			.expectHeader().valueEquals("X-Request-Id", "client-123");
		assertThat(users.next().getHeaders().get("X-Request-Id")).isEqualTo("client-123");

		this.http.get().uri("/api/users/u-1")
			.headers(headers -> headers.setBearerAuth(token))
			.header("X-Request-Id", "no spaces <allowed>")
			.exchange()
			.expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));
		assertThat(users.next().getHeaders().get("X-Request-Id")).matches("[0-9a-f-]{36}");
	}

	/** No token: 401 problem+json with a Bearer challenge, and the service is not called. */
	@Test
	void missingTokenIsUnauthorized() throws InterruptedException {
		this.http.get().uri("/api/users/u-1")
			.header("X-User-Id", "u-1")
			.exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectHeader().exists("X-Request-Id")
			.expectBody().jsonPath("$.status").isEqualTo(401);
		assertThat(users.next()).isNull();
	}

	/** A token signed with another key, an expired one, or garbage: 401 problem+json, service not called. */
	@Test
	void badTokensAreUnauthorized() throws InterruptedException {
		String user = Tokens.newUserId();
		String wrongKey = Tokens.sign("another-secret-that-is-long-enough-0123456789", user,
				Instant.now().plusSeconds(600));
		String expired = Tokens.sign(Tokens.SECRET, user, Instant.now().minusSeconds(600));
		for (String token : new String[] { wrongKey, expired, "not.a.jwt", "%%%" }) {
			this.http.post().uri("/api/meetings")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{}")
				.exchange()
				.expectStatus().isUnauthorized()
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.status").isEqualTo(401);
		}
		assertThat(meetings.next()).isNull();
	}

	/** Past the burst, a user gets 429 problem+json with Retry-After; another user is not affected. */
	@Test
	void rateLimitPerUser() {
		String token = Tokens.forUser(Tokens.newUserId());
		for (int i = 0; i < BURST; i++) {
			get("/api/users/u-1", token).expectStatus().isOk();
		}
		// the bucket refills one token per second: three quick calls cannot all pass
		boolean limited = false;
		for (int i = 0; i < 3 && !limited; i++) {
			WebTestClient.ResponseSpec response = get("/api/users/u-1", token);
			limited = response.returnResult(String.class).getStatus().value() == 429;
			if (limited) {
				get("/api/users/u-1", token)
					.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
					.expectHeader().exists(HttpHeaders.RETRY_AFTER)
					.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody().jsonPath("$.status").isEqualTo(429);
			}
		}
		assertThat(limited).isTrue();

		get("/api/users/u-1", Tokens.forUser(Tokens.newUserId())).expectStatus().isOk();
	}

	/** A body over the limit is refused with 413 problem+json before reaching the service. */
	@Test
	void oversizedBodyIsRefused() throws InterruptedException {
		this.http.post().uri("/api/meetings")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"title\":\"" + "x".repeat(2000) + "\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.status").isEqualTo(413);
		assertThat(meetings.next()).isNull();
	}

	/** A chunked body (no Content-Length) is counted as it streams and refused once over the limit. */
	@Test
	void oversizedChunkedBodyIsRefused() {
		Flux<String> chunks = Flux.range(0, 20).map(i -> "x".repeat(100));
		this.http.post().uri("/api/meetings")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.contentType(MediaType.TEXT_PLAIN)
			.body(chunks, String.class)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/** Health and Prometheus answer without a token. */
	@Test
	void actuatorIsOpen() {
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
	}

	/** Spring Security's default response headers, on the gateway's own answers and on a service's. */
	@Test
	void securityHeadersAreWritten() {
		this.http.get().uri("/actuator/health").exchange()
			.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate")
			.expectHeader().valueEquals(HttpHeaders.PRAGMA, "no-cache")
			.expectHeader().valueEquals(HttpHeaders.EXPIRES, "0")
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader().valueEquals("X-Frame-Options", "DENY")
			.expectHeader().valueEquals("X-XSS-Protection", "0")
			.expectHeader().valueEquals("Referrer-Policy", "no-referrer")
			.expectHeader().doesNotExist("Strict-Transport-Security");
		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader().valueEquals("X-Frame-Options", "DENY");
	}

	/** A service's own caching and framing headers are kept, and no cache header is added beside its own. */
	@Test
	void serviceHeadersWinOverTheDefaults() {
		meetings.answer(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.setHeader(HttpHeaders.CACHE_CONTROL, "max-age=60")
			.setHeader("X-Frame-Options", "SAMEORIGIN")
			.body("{}")
			.build());
		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=60")
			.expectHeader().doesNotExist(HttpHeaders.PRAGMA)
			.expectHeader().doesNotExist(HttpHeaders.EXPIRES)
			.expectHeader().valueEquals("X-Frame-Options", "SAMEORIGIN")
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
	}

	/** The token endpoint does not exist outside the local profile. */
	@Test
	void noTokenEndpointOutsideLocalProfile() {
		this.http.post().uri("/local/token?sub=u-1001").exchange().expectStatus().isNotFound();
	}

	/** A browser preflight from a configured origin is allowed; from another origin it is refused. */
	@Test
	void corsFromConfiguredOrigins() {
		this.http.options().uri("/api/meetings")
			.header(HttpHeaders.ORIGIN, "https://app.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.example");

		this.http.options().uri("/api/meetings")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange()
			.expectStatus().isForbidden()
			.expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	private WebTestClient.ResponseSpec get(String path, String token) {
		return this.http.get().uri(path).headers(headers -> headers.setBearerAuth(token)).exchange();
	}

	private void assertRouted(HttpMethod method, String path, Upstream expected) throws InterruptedException {
		WebTestClient.RequestBodySpec request = this.http.method(method).uri(path)
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())));
		if (method == HttpMethod.POST) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
		}
		request.exchange().expectStatus().isOk();
		RecordedRequest received = expected.next();
		assertThat(received).as("%s %s reached its service", method, path).isNotNull();
		assertThat(received.getMethod()).isEqualTo(method.name());
		assertThat(received.getTarget()).isEqualTo(path);
	}

}
