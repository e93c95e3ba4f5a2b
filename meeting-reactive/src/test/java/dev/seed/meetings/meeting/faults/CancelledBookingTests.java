package dev.seed.meetings.meeting.faults;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that give up on their bookings at random points: every transaction ends with its own commit or rollback,
 * every connection goes back to the pool outside a transaction, and the outbox relay's updates on those connections
 * commit. PostgreSQL sits behind a proxy that adds 20 ms to each chunk each way, so that a booking's transaction
 * (BEGIN, the insert, COMMIT) takes about 120 ms and the cancels land in each of its stages.
 */
class CancelledBookingTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(CancelledBookingTests.class);

	private static final int BOOKINGS = 200;

	private static final int WAVES = 10;

	private static final int CONCURRENCY = 8;

	private static final String IDLE_IN_TRANSACTION = "SELECT count(*) FROM pg_stat_activity "
			+ "WHERE datname = current_database() AND state LIKE 'idle in transaction%'";

	static final FaultProxy database = FaultProxy.start("postgres-slow", DatabaseOutageTests.postgres()[0],
			Integer.parseInt(DatabaseOutageTests.postgres()[1]));

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		String[] postgres = DatabaseOutageTests.postgres();
		registry.add("spring.r2dbc.url", () -> TestStack.get().r2dbcUrl()
			.replace("//" + postgres[0] + ":" + postgres[1] + "/", "//" + database.host() + ":" + database.port() + "/"));
		registry.add("meeting.outbox.relay-enabled", () -> "true");
		registry.add("meeting.outbox.relay-interval", () -> "300ms");
		registry.add("meeting.outbox.relay-grace", () -> "1s");
		registry.add("meeting.outbox.claim-lease", () -> "3s");
		registry.add("meeting.events.confirm-timeout", () -> "500ms");
	}

	@AfterEach
	void heal() {
		database.heal();
	}

	/**
	 * 200 bookings, each abandoned by its client after a random 0–300 ms: afterwards no connection of the service is
	 * idle in a transaction and none is still lent out, the outbox has nothing unpublished, and every meeting that was
	 * stored had its event delivered, and no meeting that was rolled back.
	 */
	@Test
	void cancelledBookingsLeaveNoTransactionOpen() throws Exception {
		List<String> ids = users.newUsers(2 * BOOKINGS);
		String title = "Cancelled " + TestStack.get().runId();
		// a connection of its own for each booking: a client that gives up closes its connection, and a pooled one
		// could be handed to the next booking just as it closes, which is the client's race, not the service's
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.build();
		// a warm service, so that the cancels fall inside bookings rather than in the first requests' start-up
		List<Answer> warmUp = Flux.range(0, 50)
			.flatMap((i) -> book(client, "Warm-up", ids.subList(0, 2)), 4)
			.collectList()
			.block(Duration.ofMinutes(1));
		assertThat(warmUp).allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
		log.info("Warm-up bookings took {} ms at most, the last ten {}", warmUp.stream()
			.mapToLong((answer) -> answer.elapsed().toMillis()).max().orElse(0), warmUp.subList(40, 50).stream()
			.map((answer) -> answer.elapsed().toMillis()).toList());
		try (EventQueue events = new EventQueue()) {
			database.delay(Duration.ofMillis(20));
			// a booking's transaction is never idle for long: a connection idle in a transaction for a second is one
			// that went back to the pool inside it
			AtomicLong stuck = new AtomicLong();
			Disposable sampler = Flux.interval(Duration.ofMillis(100))
				.publishOn(Schedulers.boundedElastic())
				.concatMap((tick) -> Mono.fromCallable(() -> Counts.of(IDLE_IN_TRANSACTION
						+ " AND state_change < now() - interval '1 second'")))
				.subscribe((count) -> stuck.accumulateAndGet(count, Math::max));
			// in waves with a quiet moment after each: a connection left in a transaction by the wave's last bookings
			// then sits unused, where the sampler sees it
			int perWave = BOOKINGS / WAVES;
			List<Integer> outcomes = Flux.range(0, WAVES)
				.concatMap((wave) -> Flux.range(wave * perWave, perWave)
					.flatMap((i) -> abandoned(client, title, ids.subList(2 * i, 2 * i + 2),
							Duration.ofMillis(ThreadLocalRandom.current().nextInt(301))), CONCURRENCY)
					.collectList()
					.delayElement(Duration.ofMillis(1500)))
				.flatMapIterable((wave) -> wave)
				.collectList()
				.block(Duration.ofMinutes(3));
			database.delay(Duration.ZERO);
			Map<Integer, Integer> byOutcome = new HashMap<>();
			outcomes.forEach((status) -> byOutcome.merge(status, 1, Integer::sum));

			await("no connection idle in a transaction, none lent out").atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> {
					assertThat(idleInTransaction()).isZero();
					assertThat(this.meters.get("r2dbc.pool.acquired").gauge().value()).isZero();
				});
			await("the outbox drained").atMost(Duration.ofSeconds(30))
				.until(() -> Counts.of("SELECT count(*) FROM meeting.outbox WHERE published_at IS NULL") == 0);
			sampler.dispose();

			Set<String> stored = storedMeetings(title);
			Set<String> delivered = new HashSet<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!delivered.containsAll(stored) && System.nanoTime() < deadline) {
				for (GetResponse message : events.take(BOOKINGS, Duration.ofMillis(500))) {
					String meetingId = this.json.readTree(EventQueue.body(message)).get("meetingId").asString();
					delivered.add(meetingId);
				}
			}
			delivered.addAll(events.drain(Duration.ofMillis(500)).stream()
				.map((message) -> this.json.readTree(EventQueue.body(message)).get("meetingId").asString())
				.toList());
			log.info("{} bookings abandoned after 0-300 ms: answers {} (0: cancelled before an answer); {} meetings "
					+ "stored, {} delivered; idle in transaction: {} now, {} for over a second at most during the run", BOOKINGS,
					byOutcome, stored.size(), delivered.size(), idleInTransaction(), stuck.get());

			assertThat(stuck).as("connections idle in a transaction for over a second during the run").hasValue(0);
			assertThat(byOutcome.getOrDefault(0, 0)).as("bookings cancelled before their answer").isPositive();
			assertThat(stored).as("bookings that committed before their cancel").isNotEmpty();
			assertThat(byOutcome.keySet()).as("answers").isSubsetOf(0, 201);
			assertThat(delivered).as("every stored meeting's event arrived").containsAll(stored);
			assertThat(delivered).as("no event of a rolled back booking").isSubsetOf(stored);
			assertThat(Counts.of("SELECT count(*) FROM meeting.meetings m WHERE title = '" + title + "' AND NOT EXISTS "
					+ "(SELECT 1 FROM meeting.outbox o WHERE o.payload::jsonb ->> 'meetingId' = m.id::text)"))
				.as("meetings without their event").isZero();
		}
	}

	/** The booking's status, or 0 when the client gave up before the answer came (the request is cancelled). */
	private static Mono<Integer> abandoned(WebClient client, String title, List<String> attendees, Duration after) {
		return client.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson(title, attendees))
			.retrieve()
			.toBodilessEntity()
			.map((response) -> response.getStatusCode().value())
			.timeout(after, Mono.just(0));
	}

	private static long idleInTransaction() throws Exception {
		return Counts.of(IDLE_IN_TRANSACTION);
	}

	private static Set<String> storedMeetings(String title) throws Exception {
		Set<String> ids = new HashSet<>();
		try (Connection jdbc = TestStack.get().openJdbc();
				ResultSet rows = jdbc.createStatement().executeQuery(
						"SELECT id FROM meeting.meetings WHERE title = '" + title.replace("'", "''") + "'")) {
			while (rows.next()) {
				ids.add(rows.getString(1));
			}
		}
		return ids;
	}

}
