package dev.seed.meetings.gateway;

import java.util.Map;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class LocalProfileTests {

	static final Upstream users = new Upstream();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		registry.add("gateway.user-service-url", users::url);
	}

	@Autowired
	private WebTestClient http;

	/** In the local profile a person can mint a token and call the API with it as that user. */
	@Test
	void mintedTokenOpensTheApi() throws InterruptedException {
		Map<String, Object> minted = this.http.post().uri("/local/token?sub=u-1001")
			.exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();

		this.http.get().uri("/api/users/u-1001")
			.headers(headers -> headers.setBearerAuth((String) minted.get("token")))
			.exchange()
			.expectStatus().isOk();

		RecordedRequest received = users.next();
		assertThat(received.getHeaders().get("X-User-Id")).isEqualTo("u-1001");
		assertThat(received.getHeaders().get("X-Gateway-Token")).isEqualTo("local-only-service-token-do-not-deploy");
	}

	/** The token endpoint only signs well-formed user ids. */
	@Test
	void malformedSubjectIsRefused() {
		this.http.post().uri("/local/token?sub={sub}", "not a user id")
			.exchange()
			.expectStatus().isBadRequest();
	}

}
