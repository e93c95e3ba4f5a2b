package dev.seed.meetings.gateway;

import java.net.URI;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With an OpenID Connect client registration, browsers sign in at the provider; there is no local sign-in. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class BrowserOidcSignInTests {

	static final Upstream users = new Upstream();

	static final String REGISTRATION = "spring.security.oauth2.client.registration.idp.";

	static final String PROVIDER = "spring.security.oauth2.client.provider.idp.";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		// sessions live in Redis: a start-up slowed down by a busy machine must still find it before the first request
		registry.add("spring.data.redis.connect-timeout", () -> "10s");
		registry.add("gateway.user-service-url", users::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
		registry.add(REGISTRATION + "client-id", () -> "meetings-gateway");
		registry.add(REGISTRATION + "client-secret", () -> "client-secret");
		registry.add(REGISTRATION + "client-name", () -> "Example ID");
		registry.add(REGISTRATION + "authorization-grant-type", () -> "authorization_code");
		registry.add(REGISTRATION + "scope", () -> "openid,profile");
		registry.add(REGISTRATION + "redirect-uri", () -> "{baseUrl}/login/oauth2/code/{registrationId}");
		registry.add(PROVIDER + "authorization-uri", () -> "https://id.example/authorize");
		registry.add(PROVIDER + "token-uri", () -> "https://id.example/token");
		registry.add(PROVIDER + "jwk-set-uri", () -> "https://id.example/jwks");
		registry.add(PROVIDER + "user-name-attribute", () -> "sub");
	}

	@Autowired
	private WebTestClient http;

	/** The page learns where to sign in; the link starts Spring Security's authorization code flow at the provider. */
	@Test // #19
	void signInGoesToTheProvider() {
		this.http.get().uri("/auth/session").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.signedIn").isEqualTo(false)
			.jsonPath("$.localSignIn").isEqualTo(false)
			.jsonPath("$.providers[0].name").isEqualTo("Example ID")
			.jsonPath("$.providers[0].url").isEqualTo("/oauth2/authorization/idp");

		URI location = this.http.get().uri("/oauth2/authorization/idp").exchange()
			.expectStatus().isFound()
			.returnResult(Void.class).getResponseHeaders().getLocation();
		assertThat(location).isNotNull();
		assertThat(location.toString()).startsWith("https://id.example/authorize?")
			.contains("response_type=code", "client_id=meetings-gateway", "scope=openid%20profile", "state=",
					"redirect_uri=http://localhost:");
		assertThat(location.getQuery()).contains("/login/oauth2/code/idp");
	}

	/** Without the local profile's setting, nobody can pick a user to sign in as. */
	@Test // #19
	void noLocalSignIn() {
		this.http.get().uri("/auth/local/users").exchange().expectStatus().isNotFound();
	}

	/** Bearer tokens keep working beside the provider's sign-in. */
	@Test // #19
	void bearerTokensStillWork() throws InterruptedException {
		this.http.get().uri("/api/users/u-3001")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser("u-3001")))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
		RecordedRequest forwarded = users.next();
		assertThat(forwarded.getHeaders().get("X-User-Id")).isEqualTo("u-3001");
	}

}
