package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.seed.meetings.meeting.cache.CacheKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis cut while many bookings run: the {@code redis} breaker opens, the bookings keep answering 201 from the user
 * directory, the breaker closes once Redis is back, and the log says so twice, not once per failed cache call.
 */
class RedisBreakerTests extends FaultTest {

	private static final org.slf4j.Logger log = LoggerFactory.getLogger(RedisBreakerTests.class);

	private static final int BOOKINGS = 200;

	private static final int CONCURRENCY = 8;

	static final FaultProxy redisProxy = FaultProxy.start("redis-breaker", TestStack.get().redisHost(),
			TestStack.get().redisPort());

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	CacheKeys keys;

	@Autowired
	MeterRegistry meters;

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private final Logger serviceLogs = (Logger) LoggerFactory.getLogger("dev.seed.meetings.meeting");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		registry.add("spring.data.redis.host", redisProxy::host);
		registry.add("spring.data.redis.port", redisProxy::port);
	}

	@BeforeEach
	void slowStart() {
		// a first booking on a cold, busy machine may take longer than the client's default 5 s
		this.http = this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

	@AfterEach
	void heal() {
		this.serviceLogs.detachAppender(this.lines);
		redisProxy.heal();
	}

	/** Fault drill item 6: one WARN when the breaker opens, one when it closes; every booking 201 meanwhile. */
	@Test
	void redisCutOpensTheBreakerOnceAndItClosesWhenRedisIsBack() {
		CircuitBreaker redis = this.breakers.circuitBreaker("redis");
		// the first cache calls of a cold service on a busy machine may outlast the cache timeout
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			List<String> ids = users.newUsers(1);
			post("Before the cut", ids).expectStatus().isCreated();
			assertThat(cached(ids.get(0))).as("the service caches through the proxy").isTrue();
			assertThat(redis.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
		List<CircuitBreaker.StateTransition> transitions = new CopyOnWriteArrayList<>();
		redis.getEventPublisher().onStateTransition((event) -> transitions.add(event.getStateTransition()));
		this.lines.start();
		this.serviceLogs.addAppender(this.lines);
		List<String> attendees = users.newUsers(3);

		users.reset();
		redisProxy.cut();
		long cut = System.nanoTime();
		WebClient client = client();
		List<Answer> answers = Flux.range(0, BOOKINGS)
			.flatMap((i) -> book(client, "During the cut " + i, attendees), CONCURRENCY)
			.collectList()
			.block(Duration.ofSeconds(120));
		long bookedIn = Duration.ofNanos(System.nanoTime() - cut).toMillis();
		int lookups = users.requestedIds().size();
		String stages = this.meters.find("meeting.booking.stage")
			.timers()
			.stream()
			.map((timer) -> timer.getId().getTag("stage") + " mean " + (long) timer.mean(TimeUnit.MILLISECONDS)
					+ " ms, max " + (long) timer.max(TimeUnit.MILLISECONDS) + " ms")
			.collect(Collectors.joining("; "));
		log.info("Stages during the cut: {}", stages);

		assertThat(answers).hasSize(BOOKINGS).allSatisfy((answer) -> assertThat(answer.status()).isEqualTo(201));
		assertThat(transitions).as("opened during the cut").contains(CircuitBreaker.StateTransition.CLOSED_TO_OPEN);
		assertThat(lookups).as("every booking asked the directory for its attendees and the organizer")
			.isGreaterThanOrEqualTo(BOOKINGS * attendees.size());

		redisProxy.heal();
		long healed = System.nanoTime();
		// the breaker tries Redis again after its wait in the open state, with the calls of the bookings that come
		await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			post("After the cut", users.newUsers(1)).expectStatus().isCreated();
			assertThat(redis.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		});
		long closedAfter = Duration.ofNanos(System.nanoTime() - healed).toMillis();
		List<String> newcomers = users.newUsers(2);
		post("Cached again", newcomers).expectStatus().isCreated();
		assertThat(cached(newcomers.get(0))).as("profiles are cached again").isTrue();

		List<String> warnings = this.lines.list.stream()
			.filter((line) -> line.getLevel().isGreaterOrEqual(Level.WARN))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		List<Duration> took = answers.stream().map(Answer::elapsed).sorted(Comparator.naturalOrder()).toList();
		Map<Integer, Long> statuses = answers.stream()
			.collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
		log.info("Redis cut during {} bookings ({} at once, {} ms): statuses {}, median {} ms, slowest {} ms, {} "
				+ "directory lookups; breaker {}; closed {} ms after the heal; WARN lines: {} {}", BOOKINGS, CONCURRENCY,
				bookedIn, statuses, took.get(took.size() / 2).toMillis(), took.get(took.size() - 1).toMillis(),
				lookups, transitions, closedAfter, warnings.size(), warnings);
		assertThat(warnings).as("one WARN when the breaker opens, one when it closes, none per call").hasSize(2);
		assertThat(warnings.get(0)).startsWith("Circuit breaker redis: State transition from CLOSED to OPEN");
		assertThat(warnings.get(1)).startsWith("Circuit breaker redis: State transition from HALF_OPEN to CLOSED");
	}

	private boolean cached(String userId) {
		RedisClient direct = RedisClient.create(RedisURI.create(TestStack.get().redisHost(), TestStack.get().redisPort()));
		try (StatefulRedisConnection<String, String> redis = direct.connect()) {
			return redis.sync().exists(this.keys.userProfile(userId)) == 1;
		}
		finally {
			direct.shutdown();
		}
	}

}
