package dev.seed.meetings.gateway.limits;

import java.net.InetSocketAddress;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.routing.UserIdRelayFilter;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * One token bucket per user in Redis, shared by all gateway instances (see {@link LeasedRateLimiter}); Spring Cloud
 * Gateway's own Redis limiter is switched off ({@code spring.cloud.gateway.server.webflux.redis.enabled}).
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	/** The primary limiter: the one of every authenticated route, and Spring Cloud Gateway's default. */
	@Bean
	@Primary
	LeasedRateLimiter leasedRateLimiter(ReactiveStringRedisTemplate redis, GatewayProperties properties) {
		return new LeasedRateLimiter(redis, properties.rateLimit(), properties.redisKeyPrefix());
	}

	/**
	 * The verified token's subject, as the global {@link UserIdRelayFilter} (which runs before any route's filter)
	 * found it: one lookup of the principal per request. Anonymous requests never get this far on /api/**.
	 */
	@Bean
	@Primary
	KeyResolver userKeyResolver() {
		return UserIdRelayFilter::userId;
	}

	/** The invitation routes' own buckets, per client address, apart from the users' ({@code invitations.} keys). */
	@Bean
	LeasedRateLimiter invitationRateLimiter(ReactiveStringRedisTemplate redis, GatewayProperties properties) {
		return new LeasedRateLimiter(redis, properties.invitationRateLimit(),
				properties.redisKeyPrefix() + "invitations.");
	}

	/**
	 * The address the request came from (the TCP peer: behind a proxy of your own, all clients share the proxy's
	 * address and so one bucket).
	 */
	@Bean
	KeyResolver clientAddressKeyResolver() {
		return (exchange) -> {
			InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
			return Mono.just((remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress()
					: "unknown");
		};
	}

}
