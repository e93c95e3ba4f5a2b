package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL unreachable: a booking is refused with 503 and publishes nothing; bookings work again after the heal.
 */
class DatabaseOutageTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTests.class);

	static final FaultProxy database = FaultProxy.start("postgres", postgres()[0],
			Integer.parseInt(postgres()[1]));

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		// Flyway migrates directly at start-up; only the service's R2DBC traffic goes through the proxy
		registry.add("spring.r2dbc.url", () -> TestStack.get().r2dbcUrl()
			.replace("//" + postgres()[0] + ":" + postgres()[1] + "/", "//" + database.host() + ":" + database.port() + "/"));
	}

	@AfterEach
	void heal() {
		database.heal();
	}

	/** Cut: 503 problem+json with Retry-After, no row, no event; bookings succeed again within 5 s of the heal. */
	@Test
	void databaseCut() throws Exception {
		List<String> ids = users.newUsers(2);
		post("Before the PostgreSQL cut", ids).expectStatus().isCreated();
		assertThat(database.connectionCount()).as("the service reaches PostgreSQL through the proxy").isPositive();
		try (EventQueue events = new EventQueue()) {
			database.cut();
			for (int i = 0; i < 3; i++) {
				long started = System.nanoTime();
				post("PostgreSQL cut", ids).expectStatus().isEqualTo(503)
					.expectHeader().exists("Retry-After")
					.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody().jsonPath("$.status").isEqualTo(503);
				log.info("POST with PostgreSQL cut answered 503 in {} ms",
						Duration.ofNanos(System.nanoTime() - started).toMillis());
			}
			assertThat(events.drain(Duration.ofSeconds(1))).isEmpty();
			database.heal();
			long healed = System.nanoTime();
			AtomicInteger refusedAfterHeal = new AtomicInteger();
			// the pool may still hand out a connection that died in the cut; it must not take long to notice
			await("a booking answered 201 after the heal").atMost(Duration.ofSeconds(5))
				.pollInSameThread()
				.pollInterval(Duration.ofMillis(100))
				.until(() -> {
					boolean booked = post("After the PostgreSQL cut", ids).returnResult(Void.class)
						.getStatus()
						.value() == 201;
					if (!booked) {
						refusedAfterHeal.incrementAndGet();
					}
					return booked;
				});
			log.info("Bookings work again {} ms after the heal ({} refused meanwhile)",
					Duration.ofNanos(System.nanoTime() - healed).toMillis(), refusedAfterHeal.get());
			assertThat(events.take(1, Duration.ofSeconds(5))).hasSize(1);
		}
		assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = 'PostgreSQL cut'")).isZero();
	}

	/** Host and port of this run's PostgreSQL, read from its JDBC URL. */
	static String[] postgres() {
		String url = TestStack.get().jdbcUrl();
		String hostAndPort = url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
		int colon = hostAndPort.lastIndexOf(':');
		return new String[] { hostAndPort.substring(0, colon), hostAndPort.substring(colon + 1) };
	}

}
