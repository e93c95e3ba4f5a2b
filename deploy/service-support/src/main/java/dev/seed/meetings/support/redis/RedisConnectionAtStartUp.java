package dev.seed.meetings.support.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Opens the shared Redis connection at start-up. Lettuce's connection factory opens it the first time it is used and
 * waits for the handshake: done by a request, that would block a Netty thread. Once open, Lettuce reconnects it in
 * the background. The factory's own eager initialization is not used: it fails the start-up when Redis is down,
 * and a service must start without its cache or its rate limits.
 * <p>
 * If Redis is not reachable at start-up, the first call that finds it again opens the connection, on the caller's
 * thread, bounded by {@code spring.data.redis.connect-timeout}.
 */
public class RedisConnectionAtStartUp implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(RedisConnectionAtStartUp.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	public RedisConnectionAtStartUp(ReactiveRedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		// closing the reactive connection leaves the shared native connection open
		try (ReactiveRedisConnection connection = this.connectionFactory.getReactiveConnection()) {
			log.debug("Redis connection ready: {}", connection);
		}
		catch (RuntimeException ex) {
			log.warn("Redis not reachable at start-up, calls to it fail until it is: {}", ex.toString());
		}
	}

}
