package dev.seed.meetings.gateway;

import dev.seed.meetings.testsupport.TestStack;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the gateway at this test run's slice of the real Redis (the rate limiter's buckets). */
final class TestRedis {

	private TestRedis() {
	}

	static void register(DynamicPropertyRegistry registry) {
		TestStack stack = TestStack.get();
		registry.add("spring.data.redis.host", stack::redisHost);
		registry.add("spring.data.redis.port", stack::redisPort);
		registry.add("gateway.redis-key-prefix", stack::redisKeyPrefix);
	}

}
