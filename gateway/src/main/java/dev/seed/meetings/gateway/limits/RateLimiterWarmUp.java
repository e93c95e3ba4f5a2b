package dev.seed.meetings.gateway.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The rate limiter does two slow things the first time it runs: Lettuce opens the shared
 * connection (waiting for the handshake), and the Lua script is read from its jar, for its SHA-1
 * and again for every EVAL after a NOSCRIPT (a fresh or restarted Redis). Done by a request, both
 * would block a Netty thread. Here, at start-up, the connection is opened and the script text is
 * read once and kept in memory; afterwards Lettuce reconnects in the background.
 */
@Component
class RateLimiterWarmUp implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(RateLimiterWarmUp.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final RedisScript<?> script;

	RateLimiterWarmUp(ReactiveRedisConnectionFactory connectionFactory,
			@Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<?> script) {
		this.connectionFactory = connectionFactory;
		this.script = script;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.script instanceof DefaultRedisScript<?> resourceScript) {
			resourceScript.setScriptText(resourceScript.getScriptAsString());
		}
		log.debug("Rate limiter script {}", this.script.getSha1());
		try (ReactiveRedisConnection connection = this.connectionFactory.getReactiveConnection()) {
			log.debug("Redis connection ready: {}", connection);
		}
		catch (RuntimeException ex) {
			log.warn("Redis not reachable at start-up, rate limits are not enforced until it is: {}", ex.toString());
		}
	}

}
