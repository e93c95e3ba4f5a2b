package dev.seed.meetings.gateway.limits;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real Redis, in this run's key prefix. */
class LeasedRateLimiterTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String PREFIX = TestStack.get().redisKeyPrefix() + "leases:";

	private static LettuceConnectionFactory connections;

	private static ReactiveStringRedisTemplate redis;

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	@BeforeAll
	static void connect() {
		connections = factory(TestStack.get().redisPort());
		redis = new ReactiveStringRedisTemplate(connections);
	}

	@AfterAll
	static void cleanUp() {
		redis.scan(ScanOptions.scanOptions().match(PREFIX + "*").build())
			.flatMap(redis::delete)
			.blockLast(WAIT);
		connections.destroy();
	}

	/** One lease of ten tokens: the first request takes them from Redis, the next nine spend them here. */
	@Test
	void aLeaseIsSpentWithoutAskingRedis() {
		LeasedRateLimiter limiter = limiter(limit(1, 100, 10, Duration.ofMinutes(1)));
		String user = newUser();

		assertThat(allowed(limiter, user)).isTrue();
		assertThat(tokensInRedis(user)).isEqualTo(90);
		for (int i = 0; i < 9; i++) {
			assertThat(allowed(limiter, user)).isTrue();
		}
		assertThat(tokensInRedis(user)).as("the nine requests after the first did not reach Redis").isEqualTo(90);

		assertThat(allowed(limiter, user)).isTrue();
		assertThat(tokensInRedis(user)).as("the eleventh took a new lease").isEqualTo(80);
	}

	/** Two gateway instances take from one bucket: together they let through what it holds and then refuse. */
	@Test
	void instancesShareTheBucket() {
		GatewayProperties.RateLimit limit = limit(1, 20, 10, Duration.ofMinutes(1));
		LeasedRateLimiter first = limiter(limit);
		LeasedRateLimiter second = limiter(limit);
		String user = newUser();

		long started = System.nanoTime();
		int allowed = 0;
		for (int i = 0; i < 30; i++) {
			allowed += allowed(first, user) ? 1 : 0;
			allowed += allowed(second, user) ? 1 : 0;
		}
		long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;

		assertThat(allowed).isBetween(20, 20 + (int) refilled);
		assertThat(allowed(first, user)).isFalse();
		assertThat(allowed(second, user)).isFalse();
	}

	/** Tokens a lease still holds when its time is up are dropped, not spent later. */
	@Test
	void unspentTokensAreDroppedAfterTheLeaseTime() {
		LeasedRateLimiter limiter = limiter(limit(1, 100, 10, Duration.ofSeconds(1)));
		String user = newUser();

		assertThat(allowed(limiter, user)).isTrue();
		assertThat(tokensInRedis(user)).isEqualTo(90);

		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(allowed(limiter, user)).isTrue();
		assertThat(tokensInRedis(user)).as("the old lease was dropped, a new one taken").isBetween(80, 82);
	}

	/** The limit holds per user: one user's empty bucket does not touch another's. */
	@Test
	void anEmptyBucketRefusesOnlyItsUser() {
		LeasedRateLimiter limiter = limiter(limit(1, 3, 10, Duration.ofMinutes(1)));
		String user = newUser();

		for (int i = 0; i < 3; i++) {
			assertThat(allowed(limiter, user)).isTrue();
		}
		assertThat(allowed(limiter, user)).isFalse();
		assertThat(allowed(limiter, newUser())).isTrue();
	}

	/** Without Redis, requests go through instead of failing. */
	@Test
	void redisDownLetsRequestsThrough() {
		LettuceConnectionFactory nowhere = factory(TestStack.freePort());
		try {
			LeasedRateLimiter limiter = new LeasedRateLimiter(new ReactiveStringRedisTemplate(nowhere),
					limit(1, 1, 1, Duration.ofMinutes(1)), PREFIX);
			String user = newUser();
			assertThat(allowed(limiter, user)).isTrue();
			assertThat(allowed(limiter, user)).isTrue();
		}
		finally {
			nowhere.destroy();
		}
	}

	@Test
	void aLeaseIsAtMostATenthOfTheBucket() {
		assertThat(LeasedRateLimiter.leaseSize(limit(200, 400, 10, Duration.ofSeconds(1)))).isEqualTo(10);
		assertThat(LeasedRateLimiter.leaseSize(limit(200, 50, 10, Duration.ofSeconds(1)))).isEqualTo(5);
		assertThat(LeasedRateLimiter.leaseSize(limit(1, 5, 10, Duration.ofSeconds(1)))).isEqualTo(1);
		assertThat(LeasedRateLimiter.leaseSize(limit(200, 400, 1, Duration.ofSeconds(1)))).isEqualTo(1);
	}

	private LeasedRateLimiter limiter(GatewayProperties.RateLimit limit) {
		return new LeasedRateLimiter(redis, limit, PREFIX, this.ticker);
	}

	private static boolean allowed(RateLimiter<?> limiter, String user) {
		RateLimiter.Response response = limiter.isAllowed("meetings", user).block(WAIT);
		assertThat(response).isNotNull();
		return response.isAllowed();
	}

	private static int tokensInRedis(String user) {
		String tokens = redis.opsForValue().get(PREFIX + "request_rate_limiter.{" + user + "}.tokens").block(WAIT);
		assertThat(tokens).isNotNull();
		return (int) Math.floor(Double.parseDouble(tokens));
	}

	private static GatewayProperties.RateLimit limit(int replenishRate, int burstCapacity, int leaseTokens,
			Duration leaseTime) {
		return new GatewayProperties.RateLimit(replenishRate, burstCapacity, leaseTokens, leaseTime);
	}

	private static String newUser() {
		return "u-" + UUID.randomUUID();
	}

	private static LettuceConnectionFactory factory(int port) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofMillis(500))
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(TestStack.get().redisHost(), port), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
