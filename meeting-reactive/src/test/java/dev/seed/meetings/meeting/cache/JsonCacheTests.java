package dev.seed.meetings.meeting.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guard around every cache call, against the real Redis behind a {@link FaultProxy}.
 */
class JsonCacheTests {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

	private FaultProxy proxy;

	private LettuceConnectionFactory connections;

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

	private JsonCache cache;

	@BeforeEach
	void coldCache() {
		this.proxy = FaultProxy.start("redis", TestStack.get().redisHost(), TestStack.get().redisPort());
		// the settings of application.yml: the connection attempt gives up about when the cache call does
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(TIMEOUT)
			.clientOptions(ClientOptions.builder()
				.socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
				.build())
			.build();
		this.connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.proxy.host(), this.proxy.port()), client);
		this.connections.afterPropertiesSet();
		this.connections.start();
		MeetingProperties properties = new MeetingProperties(null,
				new MeetingProperties.Cache(TestStack.get().redisKeyPrefix(), Duration.ofMinutes(10), TIMEOUT), null,
				null, null, null, null);
		this.cache = new JsonCache(new ReactiveStringRedisTemplate(this.connections), JsonMapper.builder().build(),
				properties, this.breakers);
		// observes only, to see where an abandoned call's late error ends up
		Hooks.onErrorDropped((ex) -> this.dropped.add(new IllegalStateException("dropped", ex)));
	}

	@AfterEach
	void close() {
		Hooks.resetOnErrorDropped();
		this.connections.destroy();
		this.proxy.close();
	}

	/** Redis stalled before the first connection: the read is a miss after the timeout, and nothing is dropped. */
	@Test
	void coldStartAgainstAStalledRedis() throws Exception {
		this.proxy.stall();

		this.cache.get(TestStack.get().redisKeyPrefix() + "cold", String.class)
			.as(StepVerifier::create)
			.expectComplete()
			.verify(Duration.ofSeconds(3));

		// the abandoned connection attempt ends within the connect timeout; its error must not be dropped then
		await("no error dropped while the abandoned connection attempt ends").during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.until(this.dropped::isEmpty);
	}

	/** Values come back as written; an unreadable entry is a miss and leaves the others alone. */
	@Test
	void roundTripAndUnreadableEntries() {
		String prefix = TestStack.get().redisKeyPrefix() + "json-cache:";
		// unguarded, so that the first connection of a cold JVM may take longer than the cache's timeout
		new ReactiveStringRedisTemplate(this.connections).opsForValue()
			.set(prefix + "b", "{not json")
			.as(StepVerifier::create)
			.expectNext(true)
			.verifyComplete();
		this.cache.put(prefix + "a", new Entry("a", 1)).as(StepVerifier::create).verifyComplete();

		this.cache.get(prefix + "a", Entry.class).as(StepVerifier::create).expectNext(new Entry("a", 1)).verifyComplete();
		this.cache.get(prefix + "b", Entry.class).as(StepVerifier::create).verifyComplete();
		this.cache.getAll(List.of("a", "b", "c"), (id) -> prefix + id, Entry.class)
			.as(StepVerifier::create)
			.expectNext(Map.of("a", new Entry("a", 1)))
			.verifyComplete();
	}

	/** Redis cut: the calls fail in time, are misses or skipped writes, and every failure reaches the breaker. */
	@Test
	void errorsInTimeReachTheBreaker() {
		this.proxy.cut();

		this.cache.get("cut", String.class).as(StepVerifier::create).verifyComplete();
		this.cache.getAll(List.of("x"), (id) -> id, String.class)
			.as(StepVerifier::create)
			.expectNext(Map.of())
			.verifyComplete();
		this.cache.put("cut", "value").as(StepVerifier::create).verifyComplete();

		assertThat(this.breakers.circuitBreaker("redis").getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
		assertThat(this.dropped).isEmpty();
	}

	record Entry(String name, int count) {
	}

}
