package dev.seed.meetings.gateway;

import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's own error answers tell the caller what went wrong, in the full problem+json shape. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ErrorAnswersTests {

	static final Upstream meetings = new Upstream();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		registry.add("gateway.meeting-service-url", meetings::url);
		registry.add("gateway.max-request-bytes", () -> "1KB");
	}

	@Autowired
	private WebTestClient http;

	/** The token endpoint answers a wrong method with 405 and the method it takes, not with 401. */
	@Test // #21
	void wrongMethodOnTheTokenEndpointIs405() {
		Map<String, Object> problem = this.http.get().uri("/local/token?sub=u-1001")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.ALLOW, "POST")
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertComplete(problem, 405);
	}

	/** Basic credentials are told that the API expects a Bearer token, not that their token expired. */
	@Test // #21
	void basicAuthorizationIsToldThatABearerTokenIsExpected() {
		Map<String, Object> problem = this.http.get().uri("/api/meetings/m-1")
			.headers(headers -> headers.setBasicAuth("ada", "secret"))
			.exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertComplete(problem, 401);
		assertThat((String) problem.get("detail")).contains("Basic").contains("Bearer token is expected");
	}

	/** A chunked body over the limit gets the same complete problem as a declared one. */
	@Test // #21
	void oversizedChunkedBodyGetsACompleteProblem() {
		String token = (String) this.http.post().uri("/local/token?sub=u-1001")
			.exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody()
			.get("token");
		Map<String, Object> problem = this.http.post().uri("/api/meetings")
			.headers(headers -> headers.setBearerAuth(token))
			.contentType(MediaType.TEXT_PLAIN)
			.body(Flux.range(0, 20).map(i -> "x".repeat(100)), String.class)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertComplete(problem, 413);
	}

	static void assertComplete(Map<String, Object> problem, int status) {
		assertThat(problem).containsKeys("type", "title", "status", "detail");
		assertThat(problem.get("status")).isEqualTo(status);
		assertThat((String) problem.get("title")).isNotBlank();
		assertThat((String) problem.get("detail")).isNotBlank();
	}

}
