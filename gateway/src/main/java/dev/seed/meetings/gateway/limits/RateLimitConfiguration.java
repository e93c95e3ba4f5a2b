package dev.seed.meetings.gateway.limits;

import java.security.Principal;

import dev.seed.meetings.gateway.config.GatewayProperties;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One token bucket per user in Redis, shared by all gateway instances. If Redis is unreachable
 * the limiter lets requests through: losing the limit for a while is better than losing the API.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	private static final int TOKENS_PER_REQUEST = 1;

	@Bean
	RedisRateLimiter redisRateLimiter(GatewayProperties properties) {
		GatewayProperties.RateLimit limit = properties.rateLimit();
		return new RedisRateLimiter(limit.replenishRate(), limit.burstCapacity(), TOKENS_PER_REQUEST);
	}

	/** The verified token's subject; anonymous requests never get this far on /api/**. */
	@Bean
	KeyResolver userKeyResolver(GatewayProperties properties) {
		return exchange -> exchange.getPrincipal().map(Principal::getName).map(user -> properties.redisKeyPrefix() + user);
	}

}
