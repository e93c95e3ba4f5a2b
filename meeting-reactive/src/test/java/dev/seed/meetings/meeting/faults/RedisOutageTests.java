package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.seed.meetings.meeting.cache.CacheKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis cut or stalled: bookings keep answering 201 in bounded time from the user directory, and the cache is used
 * again once Redis is back, without a restart.
 */
class RedisOutageTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(RedisOutageTests.class);

	private static final Duration BOUND = Duration.ofSeconds(3);

	private static final int BOOKINGS_DURING_FAULT = 5;

	static final FaultProxy redisProxy = FaultProxy.start("redis", TestStack.get().redisHost(),
			TestStack.get().redisPort());

	/** Straight to the real Redis, to see what the service wrote whatever the proxy does. */
	private static RedisClient direct;

	private static StatefulRedisConnection<String, String> redis;

	@Autowired
	CacheKeys keys;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStack(registry);
		registry.add("spring.data.redis.host", redisProxy::host);
		registry.add("spring.data.redis.port", redisProxy::port);
	}

	@BeforeAll
	static void connectDirectly() {
		direct = RedisClient.create(RedisURI.create(TestStack.get().redisHost(), TestStack.get().redisPort()));
		redis = direct.connect();
	}

	@AfterAll
	static void disconnect() {
		redis.close();
		direct.shutdown();
	}

	@AfterEach
	void heal() {
		redisProxy.heal();
	}

	/** Redis cut: every booking answers 201 within 3 s from the directory; after the heal profiles are cached again. */
	@Test
	void redisCut() throws Exception {
		bookingsSurvive(redisProxy::cut, "cut");
	}

	/** Redis stalled (connected, silent): the same, each cache call given up after its timeout. */
	@Test
	void redisStalled() throws Exception {
		bookingsSurvive(redisProxy::stall, "stall");
	}

	private void bookingsSurvive(Runnable fault, String name) throws Exception {
		List<String> before = users.newUsers(2);
		post("Before the " + name, before).expectStatus().isCreated();
		assertThat(cached(before.get(0))).as("the service caches through the proxy").isTrue();

		fault.run();
		long worst = 0;
		for (int i = 0; i < BOOKINGS_DURING_FAULT; i++) {
			List<String> ids = users.newUsers(2);
			users.reset();
			long started = System.nanoTime();
			post("During the " + name, ids).expectStatus().isCreated();
			long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
			worst = Math.max(worst, millis);
			assertThat(millis).as("booking %d during the %s", i, name).isLessThan(BOUND.toMillis());
			assertThat(users.requestedIds()).as("looked up in the directory").containsExactlyInAnyOrderElementsOf(ids);
			assertThat(cached(ids.get(0))).isFalse();
		}
		// a profile the cache held before the fault is asked from the directory too
		users.reset();
		post("During the " + name, before).expectStatus().isCreated();
		assertThat(users.requestedIds()).containsExactlyInAnyOrderElementsOf(before);

		redisProxy.heal();
		long healed = System.nanoTime();
		AtomicInteger bookingsAfter = new AtomicInteger();
		await("a booking after the heal caches its profiles again").atMost(Duration.ofSeconds(45))
			.pollInSameThread()
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				List<String> ids = users.newUsers(1);
				post("After the " + name, ids).expectStatus().isCreated();
				bookingsAfter.incrementAndGet();
				return cached(ids.get(0));
			});
		long resumedAfter = Duration.ofNanos(System.nanoTime() - healed).toMillis();
		log.info("Redis {}: {} bookings answered 201 during the fault, slowest {} ms; caching resumed {} ms after the "
				+ "heal, at booking {}", name, BOOKINGS_DURING_FAULT + 1, worst, resumedAfter, bookingsAfter.get());
	}

	private boolean cached(String userId) {
		return redis.sync().exists(this.keys.userProfile(userId)) == 1;
	}

}
