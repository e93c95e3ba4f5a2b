package dev.seed.meetings.gateway;

import java.util.Map;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The booking page's browser sessions: signed in by a cookie, CSRF on every change, and bearer clients as before. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class BrowserSessionTests {

	static final Upstream meetings = new Upstream();

	static final Upstream users = new Upstream();

	static final String SERVICE_TOKEN = "service-token-of-the-browser-test";

	static final String LISTED_ORIGIN = "https://app.example";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
		// sessions live in Redis: a start-up slowed down by a busy machine must still find it before the first request
		registry.add("spring.data.redis.connect-timeout", () -> "10s");
		registry.add("gateway.meeting-service-url", meetings::url);
		registry.add("gateway.user-service-url", users::url);
		registry.add("gateway.jwt.secret", () -> Tokens.SECRET);
		registry.add("gateway.service-token", () -> SERVICE_TOKEN);
		registry.add("gateway.cors.allowed-origins", () -> LISTED_ORIGIN);
		registry.add("gateway.browser.local-sign-in", () -> true);
	}

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void resetUpstreams() throws InterruptedException {
		meetings.reset();
		users.reset();
	}

	/** The page is served at / without signing in, its scripts too, with a policy that allows only its own. */
	@Test // #19
	void servesThePage() {
		this.http.get().uri("/").exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader().valueMatches("Content-Security-Policy", "default-src 'self';.*frame-ancestors 'none'")
			.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody(String.class).value(html -> assertThat(html).contains("<label for=\"title\">Title</label>")
				.contains("/app/app.js"));
		this.http.get().uri("/app/app.js").exchange().expectStatus().isOk();
	}

	/** Before signing in the session says so, offers the local sign-in and sets the readable XSRF-TOKEN cookie. */
	@Test // #19
	void anonymousSessionGetsACsrfCookie() {
		EntityExchangeResult<byte[]> result = this.http.get().uri("/auth/session").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.signedIn").isEqualTo(false)
			.jsonPath("$.localSignIn").isEqualTo(true)
			.returnResult();
		ResponseCookie csrf = result.getResponseCookies().getFirst("XSRF-TOKEN");
		assertThat(csrf).isNotNull();
		assertThat(csrf.isHttpOnly()).isFalse();
		assertThat(csrf.getValue()).isNotBlank();
	}

	/**
	 * Signing in picks a user of the directory; the session cookie is HttpOnly and SameSite=Lax (not Secure over
	 * plain HTTP), and with it the page's API calls reach the services as that user, exactly as a bearer token's.
	 */
	@Test // #19
	void sessionSignInRelaysTheUser() throws InterruptedException {
		Browser browser = signedIn("u-2001");
		RecordedRequest lookup = users.next();
		assertThat(lookup.getUrl().encodedPath()).isEqualTo("/api/users/u-2001");

		this.http.get().uri("/auth/session").cookies(browser::addTo).exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.signedIn").isEqualTo(true).jsonPath("$.userId").isEqualTo("u-2001");

		this.http.get().uri("/api/meetings/m-1").cookies(browser::addTo).exchange().expectStatus().isOk();
		RecordedRequest forwarded = meetings.next();
		assertThat(forwarded.getHeaders().get("X-User-Id")).isEqualTo("u-2001");
		assertThat(forwarded.getHeaders().get("X-Gateway-Token")).isEqualTo(SERVICE_TOKEN);
		assertThat(forwarded.getHeaders().get(HttpHeaders.COOKIE)).contains("SESSION=");
	}

	/** A session cookie alone does not change anything: without X-XSRF-TOKEN the request is refused, unforwarded. */
	@Test // #19
	void stateChangingRequestWithoutCsrfTokenIsRefused() throws InterruptedException {
		Browser browser = signedIn("u-2002");
		users.reset();

		this.http.post().uri("/api/meetings").cookies(browser::addTo).contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.post().uri("/api/meetings").cookies(browser::addTo).header("X-XSRF-TOKEN", "forged")
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isForbidden();
		assertThat(meetings.next()).isNull();

		this.http.post().uri("/api/meetings").cookies(browser::addTo).header("X-XSRF-TOKEN", browser.csrf)
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isOk();
		assertThat(meetings.next().getHeaders().get("X-User-Id")).isEqualTo("u-2002");
	}

	/** Signing in is a state change too: it needs the token (no login CSRF). */
	@Test // #19
	void signInWithoutCsrfTokenIsRefused() throws InterruptedException {
		this.http.post().uri("/auth/local/sign-in").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", "u-2003"))
			.exchange()
			.expectStatus().isForbidden()
			.expectCookie().doesNotExist("SESSION");
		assertThat(users.next()).isNull();
	}

	/** Bearer clients keep the stateless chain: no CSRF token asked, no session or cookie given. */
	@Test // #19
	void bearerClientsNeedNoCsrfAndGetNoSession() throws InterruptedException {
		this.http.post().uri("/api/meetings")
			.headers(headers -> headers.setBearerAuth(Tokens.forUser("u-2004")))
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
		assertThat(meetings.next().getHeaders().get("X-User-Id")).isEqualTo("u-2004");

		// without a token or a session, the API still answers as it always has
		this.http.get().uri("/api/meetings/m-1").exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

	/**
	 * An origin not in gateway.cors.allowed-origins is refused, with or without the session cookie; a listed one is
	 * allowed for bearer calls but never for the session cookie (no Access-Control-Allow-Credentials).
	 */
	@Test // #19
	void crossOriginPagesGetNoData() throws InterruptedException {
		Browser browser = signedIn("u-2005");
		this.http.get().uri("/api/meetings/m-1").cookies(browser::addTo)
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.exchange()
			.expectStatus().isForbidden()
			.expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
		this.http.options().uri("/api/meetings")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "x-xsrf-token,content-type")
			.exchange()
			.expectStatus().isForbidden();
		assertThat(meetings.next()).isNull();

		this.http.get().uri("/api/meetings/m-1").cookies(browser::addTo)
			.header(HttpHeaders.ORIGIN, LISTED_ORIGIN)
			.exchange()
			.expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, LISTED_ORIGIN)
			.expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
	}

	/** Signing out ends the session: its cookie no longer opens the API. */
	@Test // #19
	void signOutEndsTheSession() {
		Browser browser = signedIn("u-2006");
		this.http.post().uri("/auth/sign-out").cookies(browser::addTo).header("X-XSRF-TOKEN", browser.csrf)
			.exchange()
			.expectStatus().isNoContent();
		this.http.get().uri("/api/meetings/m-1").cookies(browser::addTo).exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/** An id the directory does not know cannot sign in. */
	@Test // #19
	void unknownUserCannotSignIn() {
		String csrf = csrfToken();
		users.answer(new mockwebserver3.MockResponse.Builder().code(404).build());
		this.http.post().uri("/auth/local/sign-in").cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf)
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("userId", "nobody"))
			.exchange()
			.expectStatus().isNotFound()
			.expectCookie().doesNotExist("SESSION");
	}

	private String csrfToken() {
		return this.http.get().uri("/auth/session").exchange()
			.expectStatus().isOk()
			.expectBody().returnResult()
			.getResponseCookies().getFirst("XSRF-TOKEN").getValue();
	}

	private Browser signedIn(String userId) {
		String csrf = csrfToken();
		EntityExchangeResult<byte[]> result = this.http.post().uri("/auth/local/sign-in")
			.cookie("XSRF-TOKEN", csrf)
			.header("X-XSRF-TOKEN", csrf)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId))
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.userId").isEqualTo(userId)
			.returnResult();
		ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
		assertThat(session).as("session cookie").isNotNull();
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.isSecure()).isFalse();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		return new Browser(session.getValue(), csrf);
	}

	/** What a browser would send back: its session and CSRF cookies. */
	record Browser(String session, String csrf) {

		void addTo(org.springframework.util.MultiValueMap<String, String> cookies) {
			cookies.add("SESSION", this.session);
			cookies.add("XSRF-TOKEN", this.csrf);
		}

	}

}
