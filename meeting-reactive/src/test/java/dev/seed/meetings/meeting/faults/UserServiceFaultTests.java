package dev.seed.meetings.meeting.faults;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user directory slow, stalled or cut: a bounded number of tries, then 503 with Retry-After, and nothing written.
 */
class UserServiceFaultTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(UserServiceFaultTests.class);

	/** Three tries of at most 500 ms each plus the back-offs between them, with room for a loaded machine. */
	private static final Duration BOUND = Duration.ofSeconds(3);

	static final FaultProxy directory = FaultProxy.start("user-service", URI.create(users.baseUrl()).getHost(),
			URI.create(users.baseUrl()).getPort());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		registry.add("meeting.user-service.base-url", () -> "http://" + directory.host() + ":" + directory.port());
		registry.add("meeting.user-service.connect-timeout", () -> "500ms");
		registry.add("meeting.user-service.response-timeout", () -> "500ms");
	}

	@AfterEach
	void heal() {
		directory.heal();
		users.reset();
	}

	/** A directory slower than the response timeout: three tries (two retries), then 503 within the bound. */
	@Test
	void slowerThanTheResponseTimeout() throws Exception {
		List<String> ids = users.newUsers(1);
		users.delay(1_500);
		refused("Directory slow", ids);
		assertThat(users.requestedIds()).containsExactly(ids.get(0), ids.get(0), ids.get(0));
	}

	/** A proxy that holds every byte: the same bound and answer, although the directory never sees a request. */
	@Test
	void stalled() throws Exception {
		List<String> ids = users.newUsers(1);
		directory.stall();
		refused("Directory stalled", ids);
		directory.heal();
		users.reset();
		post("Directory back", ids).expectStatus().isCreated();
	}

	/** Connections closed on arrival: 503 and nothing written, then bookings work again after the heal. */
	@Test
	void cut() throws Exception {
		List<String> ids = users.newUsers(1);
		directory.cut();
		refused("Directory cut", ids);
		directory.heal();
		post("Directory back", ids).expectStatus().isCreated();
	}

	private void refused(String title, List<String> ids) throws Exception {
		try (EventQueue events = new EventQueue()) {
			long started = System.nanoTime();
			post(title, ids).expectStatus().isEqualTo(503)
				.expectHeader().exists("Retry-After")
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
			long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
			log.info("{}: 503 after {} ms", title, millis);
			assertThat(millis).isLessThan(BOUND.toMillis());
			assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = '" + title + "'")).isZero();
			assertThat(events.drain(Duration.ofMillis(300))).isEmpty();
		}
	}

}
