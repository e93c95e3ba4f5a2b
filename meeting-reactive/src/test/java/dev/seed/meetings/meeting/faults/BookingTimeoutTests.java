package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.List;

import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stalled (connections open, nothing answers): the booking's overall bound answers for it.
 */
class BookingTimeoutTests extends FaultTest {

	static final FaultProxy database = FaultProxy.start("postgres-stall", postgres()[0], Integer.parseInt(postgres()[1]));

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		registry.add("spring.r2dbc.url", () -> TestStack.get().r2dbcUrl()
			.replace("//" + postgres()[0] + ":" + postgres()[1] + "/", "//" + database.host() + ":" + database.port() + "/"));
		registry.add("meeting.booking.timeout", () -> "1s");
	}

	@AfterEach
	void heal() {
		database.heal();
	}

	/** Stalled database: 503 problem+json with Retry-After soon after the booking timeout, pointing at Idempotency-Key. */
	@Test
	void stalledDatabaseAnswers503WithinTheBookingTimeout() throws Exception {
		List<String> ids = users.newUsers(2);
		post("Before the stall", ids).expectStatus().isCreated();
		database.stall();
		long started = System.nanoTime();
		post("Stalled", ids).expectStatus().isEqualTo(503)
			.expectHeader().exists("Retry-After")
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").value((detail) -> assertThat((String) detail).contains("Idempotency-Key"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		database.heal();
		assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = 'Stalled'")).isZero();
	}

	private static String[] postgres() {
		return DatabaseOutageTests.postgres();
	}

}
