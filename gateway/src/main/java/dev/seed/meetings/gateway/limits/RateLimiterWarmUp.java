package dev.seed.meetings.gateway.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Lettuce opens its shared connection the first time it is used, waiting for the handshake: done by a request, that
 * would block a Netty thread. Here it is opened at start-up; afterwards Lettuce reconnects in the background. (The
 * limiter's script is held in memory, so a NOSCRIPT from a fresh Redis reads nothing from the jar either.)
 */
@Component
class RateLimiterWarmUp implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(RateLimiterWarmUp.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	RateLimiterWarmUp(ReactiveRedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		try (ReactiveRedisConnection connection = this.connectionFactory.getReactiveConnection()) {
			log.debug("Redis connection ready: {}", connection);
		}
		catch (RuntimeException ex) {
			log.warn("Redis not reachable at start-up, rate limits are not enforced until it is: {}", ex.toString());
		}
	}

}
