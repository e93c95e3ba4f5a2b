package dev.seed.meetings.meeting.attendee;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.CacheKeys;
import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * {@code user:profile:{userId}} in Redis. A cache failure is logged and treated as a miss: it never fails a booking.
 */
@Component
class ProfileCache {

	private static final Logger log = LoggerFactory.getLogger(ProfileCache.class);

	private final ReactiveStringRedisTemplate redis;

	private final CacheKeys keys;

	private final JsonMapper json;

	private final Duration ttl;

	private final Duration timeout;

	private final CircuitBreaker breaker;

	ProfileCache(ReactiveStringRedisTemplate redis, CacheKeys keys, JsonMapper json, MeetingProperties properties,
			CircuitBreakerRegistry breakers) {
		// shared by both caches: an open breaker sends lookups straight to the database or the directory
		this.breaker = breakers.circuitBreaker("redis");
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.ttl = properties.cache().ttl();
		this.timeout = properties.cache().timeout();
	}

	/** The cached profiles among {@code userIds}, in one {@code MGET}. */
	Mono<Map<String, AttendeeProfile>> findAll(List<String> userIds) {
		List<String> cacheKeys = userIds.stream().map(this.keys::userProfile).toList();
		return this.redis.opsForValue()
			.multiGet(cacheKeys)
			// Spring Data Redis opens its shared connection synchronously on first use (and on every use while
			// Redis cannot be reached): never on an event-loop thread
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.timeout)
			.transform(CircuitBreakerOperator.of(this.breaker))
			.map((values) -> parse(userIds, values))
			.onErrorResume((ex) -> {
				log.warn("Profile cache read failed, asking the user directory: {}", ex.toString());
				return Mono.just(Map.of());
			});
	}

	Mono<Void> save(String userId, AttendeeProfile profile) {
		return this.redis.opsForValue()
			.set(this.keys.userProfile(userId), this.json.writeValueAsString(profile), this.ttl)
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.timeout)
			.transform(CircuitBreakerOperator.of(this.breaker))
			.onErrorResume((ex) -> {
				log.warn("Profile cache write failed for {}: {}", userId, ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private Map<String, AttendeeProfile> parse(List<String> userIds, List<String> values) {
		Map<String, AttendeeProfile> found = new HashMap<>();
		for (int i = 0; i < userIds.size() && i < values.size(); i++) {
			String value = values.get(i);
			if (value != null) {
				try {
					found.put(userIds.get(i), this.json.readValue(value, AttendeeProfile.class));
				}
				catch (JacksonException ex) {
					log.warn("Ignoring an unreadable cached profile of {}", userIds.get(i));
				}
			}
		}
		return found;
	}

}
