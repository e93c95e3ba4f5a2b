package dev.seed.meetings.gateway;

import java.util.UUID;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invited person's page and API: routed to meeting-reactive with no bearer token, limited per client address
 * with buckets of their own. Every request here comes from the same address, so the test that empties the bucket
 * runs last.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InvitationRoutesTests {

	static final Upstream meetings = new Upstream();

	static final Upstream notifier = new Upstream();

	static final int BURST = 6;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		// buckets apart from the other test classes' in this JVM
		registry.add("gateway.redis-key-prefix", () -> "invitation-routes-" + UUID.randomUUID() + ":");
		registry.add("gateway.meeting-service-url", meetings::url);
		registry.add("gateway.notifier-service-url", notifier::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
		registry.add("gateway.service-token", () -> "service-token-of-this-test");
		registry.add("gateway.invitation-rate-limit.replenish-rate", () -> 1);
		registry.add("gateway.invitation-rate-limit.burst-capacity", () -> BURST);
		registry.add("gateway.invitation-rate-limit.lease-tokens", () -> 1);
	}

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void resetUpstreams() throws InterruptedException {
		meetings.reset();
		notifier.reset();
	}

	/** The page and the API reach meeting-reactive without any token, path unchanged, with no caller named. */
	@Test // #16
	@Order(1)
	void invitationLinksNeedNoToken() throws InterruptedException {
		this.http.get().uri("/invitations/abc.def").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
		assertForwarded("GET", "/invitations/abc.def");
		this.http.get().uri("/api/invitations/abc.def").header("X-User-Id", "u-spoofed")
			.header("X-User-Scopes", "meetings:admin")
			.exchange().expectStatus().isOk();
		RecordedRequest api = assertForwarded("GET", "/api/invitations/abc.def");
		assertThat(api.getHeaders().get("X-User-Id")).isNull();
		assertThat(api.getHeaders().get("X-User-Scopes")).isNull();
		this.http.post().uri("/api/invitations/abc.def/response")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"response\":\"accepted\"}")
			.exchange()
			.expectStatus().isOk();
		assertForwarded("POST", "/api/invitations/abc.def/response");
		this.http.post().uri("/invitations/abc.def")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("response=declined")
			.exchange()
			.expectStatus().isOk();
		assertForwarded("POST", "/invitations/abc.def");
	}

	/** The rest of the API still needs a token, and only the invitation paths are open. */
	@Test // #16
	@Order(2)
	void otherPathsStillNeedAToken() throws InterruptedException {
		this.http.get().uri("/api/meetings/m-1").exchange().expectStatus().isUnauthorized();
		this.http.get().uri("/invitations").exchange().expectStatus().isUnauthorized();
		this.http.get().uri("/api/invitationsx/abc").exchange().expectStatus().isUnauthorized();
		assertThat(meetings.next()).isNull();
	}

	/** Past the burst, one address gets 429 problem+json on the invitation routes; a signed-in user's routes go on. */
	@Test // #16
	@Order(Integer.MAX_VALUE)
	void rateLimitedPerAddress() {
		boolean limited = false;
		// the bucket refills one token per second: a few more quick calls than the burst cannot all pass
		for (int i = 0; i < BURST + 3 && !limited; i++) {
			limited = this.http.get().uri("/api/invitations/t-{i}", i).exchange().returnResult(String.class)
				.getStatus().value() == 429;
		}
		assertThat(limited).isTrue();
		this.http.get().uri("/invitations/t").exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().exists(HttpHeaders.RETRY_AFTER)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser(Tokens.newUserId())))
			.exchange()
			.expectStatus().isOk();
	}

	private static RecordedRequest assertForwarded(String method, String path) throws InterruptedException {
		RecordedRequest received = meetings.next();
		assertThat(received).as("%s %s reached meeting-reactive", method, path).isNotNull();
		assertThat(received.getMethod()).isEqualTo(method);
		assertThat(received.getTarget()).isEqualTo(path);
		return received;
	}

}
