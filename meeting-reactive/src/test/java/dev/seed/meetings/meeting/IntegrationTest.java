package dev.seed.meetings.meeting;

import java.util.List;

import dev.seed.meetings.testsupport.TestStack;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole service on a random port against this run's slice of the real PostgreSQL, Redis and RabbitMQ, with
 * user-reactive played by {@link UserDirectoryStub}. All subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// 30 s, not the default 5 s, for each answer: a stream's first line once took longer than 5 s on a busy CI machine;
// these tests assert answers, and the bounds that matter (booking timeout, lookups) have tests of their own
@AutoConfigureWebTestClient(timeout = "PT30S")
public abstract class IntegrationTest {

	protected static final UserDirectoryStub users = UserDirectoryStub.get();

	/** What the gateway sends in {@code X-Gateway-Token}, so that the service takes its {@code X-User-Id}. */
	protected static final String GATEWAY_TOKEN = "gateway-token-of-the-tests";

	/** A client that calls as the gateway does: with its token. */
	protected WebTestClient http;

	/** A client that calls as the gateway does for a token with the scope {@code meetings:admin}: sees every meeting. */
	protected WebTestClient admin;

	/** A client that reached the service's port some other way: without the gateway's token. */
	@Autowired
	protected WebTestClient direct;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("meeting.cache.key-prefix", () -> TestStack.get().redisKeyPrefix());
		registry.add("meeting.user-service.base-url", users::baseUrl);
		// tests drive the relay themselves
		registry.add("meeting.outbox.relay-enabled", () -> "false");
		registry.add("meeting.gateway-token", () -> GATEWAY_TOKEN);
	}

	@BeforeEach
	void callAsTheGateway() {
		this.http = this.direct.mutate().defaultHeader("X-Gateway-Token", GATEWAY_TOKEN).build();
		this.admin = this.http.mutate().defaultHeader("X-User-Scopes", "meetings:admin").build();
	}

	@BeforeEach
	void resetUserDirectory() {
		users.reset();
	}

	/** A test that makes a dependency fail opens its breaker in the shared context: the next test starts closed. */
	@BeforeEach
	void closeCircuitBreakers() {
		this.circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	protected static String meetingJson(String title, List<String> attendees) {
		return meetingJson(title, "2027-03-01T10:00:00+09:00", "2027-03-01T11:00:00+09:00", attendees);
	}

	protected static String meetingJson(String title, String startAt, String endAt, List<String> attendees) {
		String ids = String.join("\",\"", attendees);
		return "{\"title\":\"" + title + "\",\"startAt\":\"" + startAt + "\",\"endAt\":\"" + endAt
				+ "\",\"location\":\"Room 3F-A\",\"attendees\":[" + (attendees.isEmpty() ? "" : "\"" + ids + "\"") + "]}";
	}

}
