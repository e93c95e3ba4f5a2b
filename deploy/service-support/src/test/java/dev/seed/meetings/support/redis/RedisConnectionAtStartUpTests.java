package dev.seed.meetings.support.redis;

import java.time.Duration;

import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.seed.meetings.support.ServiceSupportAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared Redis connection of a service is open once it has started, before any call to Redis. */
@ExtendWith(OutputCaptureExtension.class)
class RedisConnectionAtStartUpTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceSupportAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms");

	/** Started against a running Redis, the service is already among Redis' clients, by its name. */
	@Test
	void theConnectionIsOpenOnceStarted() {
		String name = TestStack.get().runId() + "-start-up";
		this.contexts.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + TestStack.get().redisHost(),
					"spring.data.redis.port=" + TestStack.get().redisPort(), "spring.data.redis.client-name=" + name)
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisConnectionAtStartUp.class);
				assertThat(clientList()).contains("name=" + name + " ");
			});
	}

	/** Started while Redis cannot be reached, the service starts all the same and says so. */
	@Test
	void aServiceStartsWithoutRedis(CapturedOutput output) {
		this.contexts.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + TestStack.freePort())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("Redis not reachable at start-up");
			});
	}

	/**
	 * Started while Redis could not be reached, the service opens the connection in the background once it can,
	 * and says so; until then it tells its callers the connection is not open.
	 */
	@Test
	void theConnectionOpensOnceRedisIsBack(CapturedOutput output) {
		try (FaultProxy redis = FaultProxy.start("redis", TestStack.get().redisHost(), TestStack.get().redisPort())) {
			redis.cut();
			this.contexts.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.host=" + redis.host(),
						"spring.data.redis.port=" + redis.port())
				.run((context) -> {
					RedisConnectionAtStartUp connection = context.getBean(RedisConnectionAtStartUp.class);
					assertThat(connection.isOpen()).isFalse();
					redis.heal();
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(output).contains("Redis connection opened"));
					assertThat(connection.isOpen()).isTrue();
				});
		}
	}

	/** A service without Redis gets nothing of it. */
	@Test
	void nothingWithoutRedis() {
		this.contexts.run((context) -> assertThat(context).doesNotHaveBean(RedisConnectionAtStartUp.class));
	}

	/** Redis' own list of its clients, asked over a connection of the test's. */
	private static String clientList() {
		RedisClient client = RedisClient
			.create(RedisURI.create(TestStack.get().redisHost(), TestStack.get().redisPort()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().clientList();
		}
		finally {
			client.shutdown();
		}
	}

}
