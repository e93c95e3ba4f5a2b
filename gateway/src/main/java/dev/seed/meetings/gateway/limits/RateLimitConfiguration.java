package dev.seed.meetings.gateway.limits;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.routing.UserIdRelayFilter;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * One token bucket per user in Redis, shared by all gateway instances (see {@link LeasedRateLimiter}); Spring Cloud
 * Gateway's own Redis limiter is switched off ({@code spring.cloud.gateway.server.webflux.redis.enabled}).
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	LeasedRateLimiter leasedRateLimiter(ReactiveStringRedisTemplate redis, GatewayProperties properties) {
		return new LeasedRateLimiter(redis, properties.rateLimit(), properties.redisKeyPrefix());
	}

	/**
	 * The verified token's subject, as the global {@link UserIdRelayFilter} (which runs before any route's filter)
	 * found it: one lookup of the principal per request. Anonymous requests never get this far on /api/**.
	 */
	@Bean
	KeyResolver userKeyResolver() {
		return UserIdRelayFilter::userId;
	}

}
