package dev.seed.meetings.meeting.faults;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stalled (connections open, nothing answers) or slow to commit: the booking's overall bound answers for
 * it, well before the gateway's response timeout would.
 */
class BookingTimeoutTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(BookingTimeoutTests.class);

	private static final Duration BOUND = Duration.ofSeconds(1);

	/** The gateway's default response timeout (gateway's application.yml), which a booking's answer must beat. */
	private static final Duration GATEWAY_RESPONSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration SLOW_COMMIT = Duration.ofSeconds(5);

	static final FaultProxy database = FaultProxy.start("postgres-stall", postgres()[0], Integer.parseInt(postgres()[1]));

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		registry.add("spring.r2dbc.url", () -> TestStack.get().r2dbcUrl()
			.replace("//" + postgres()[0] + ":" + postgres()[1] + "/", "//" + database.host() + ":" + database.port() + "/"));
		registry.add("meeting.booking.timeout", () -> BOUND.toMillis() + "ms");
	}

	@AfterEach
	void heal() {
		database.heal();
	}

	/** Stalled database: 503 problem+json with Retry-After soon after the booking timeout, pointing at Idempotency-Key. */
	@Test
	void stalledDatabaseAnswers503WithinTheBookingTimeout() throws Exception {
		List<String> ids = users.newUsers(2);
		// a cold service on a busy machine may need more than the bound for its first bookings
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> post("Before the stall", ids).expectStatus().isCreated());
		database.stall();
		long started = System.nanoTime();
		post("Stalled", ids).expectStatus().isEqualTo(503)
			.expectHeader().exists("Retry-After")
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").value((detail) -> assertThat((String) detail).contains("Idempotency-Key"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND.plusSeconds(1));
		database.heal();
		assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = 'Stalled'")).isZero();
	}

	/**
	 * Fault drill item 5: a commit slowed 5 s past the 1 s bound answers 503 within the bound plus a second (never
	 * after the gateway's 10 s), the meeting commits anyway, and a replay of its Idempotency-Key gives it back, once.
	 */
	@Test
	void aCommitSlowedPastTheBoundAnswersInTimeAndItsKeyGivesTheBookingBack() throws Exception {
		List<String> ids = users.newUsers(2);
		String title = "Slow commit " + UUID.randomUUID();
		execute("CREATE OR REPLACE FUNCTION meeting.test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
				+ "'BEGIN PERFORM pg_sleep(" + SLOW_COMMIT.toSeconds() + "); RETURN NULL; END'");
		execute("CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON meeting.meetings DEFERRABLE INITIALLY "
				+ "DEFERRED FOR EACH ROW WHEN (NEW.title LIKE 'Slow commit%') EXECUTE FUNCTION meeting.test_slow_commit()");
		try {
			long started = System.nanoTime();
			book(title, ids, "slow-1").expectStatus().isEqualTo(503)
				.expectHeader().exists("Retry-After")
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
			Duration answeredAfter = Duration.ofNanos(System.nanoTime() - started);
			assertThat(answeredAfter).isLessThan(BOUND.plusSeconds(1)).isLessThan(GATEWAY_RESPONSE_TIMEOUT);

			// the commit was under way when the bound cut the booking off: it lands, the client was not told so
			String count = "SELECT count(*) FROM meeting.meetings WHERE title = '" + title + "'";
			await().atMost(SLOW_COMMIT.plusSeconds(10)).until(() -> Counts.of(count) == 1);
			String location = book(title, ids, "slow-1").expectStatus().isCreated()
				.returnResult(String.class).getResponseHeaders().getLocation().toString();
			long replayedAfter = Duration.ofNanos(System.nanoTime() - started).toMillis();
			assertThat(Counts.of(count)).as("the replay booked nothing more").isEqualTo(1);
			assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = '" + title + "' AND '"
					+ location + "' = '/api/meetings/' || id")).as("the replay gave back the committed meeting").isEqualTo(1);
			// cut off during its commit, the booking still gives its connection back to the pool
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.meters.get("r2dbc.pool.acquired").gauge().value()).isZero());
			log.info("Booking slowed {} s at its commit with bound {} ms: answered 503 after {} ms; committed anyway; "
					+ "the Idempotency-Key's replay answered 201 with it {} ms after the first try",
					SLOW_COMMIT.toSeconds(), BOUND.toMillis(), answeredAfter.toMillis(), replayedAfter);
		}
		finally {
			execute("DROP TRIGGER IF EXISTS test_slow_commit ON meeting.meetings");
		}
	}

	private WebTestClient.ResponseSpec book(String title, List<String> attendees, String idempotencyKey) {
		return this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build().post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", idempotencyKey)
			.bodyValue(meetingJson(title, attendees))
			.exchange();
	}

	private static void execute(String sql) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc(); Statement statement = jdbc.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String[] postgres() {
		return DatabaseOutageTests.postgres();
	}

}
