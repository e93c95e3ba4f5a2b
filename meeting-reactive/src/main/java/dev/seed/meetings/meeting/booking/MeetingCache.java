package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.CacheKeys;
import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * {@code meeting:info:{meetingId}} in Redis; a failure is logged and taken as a miss.
 */
@Component
class MeetingCache {

	private static final Logger log = LoggerFactory.getLogger(MeetingCache.class);

	private final ReactiveStringRedisTemplate redis;

	private final CacheKeys keys;

	private final JsonMapper json;

	private final Duration ttl;

	private final Duration timeout;

	private final CircuitBreaker breaker;

	MeetingCache(ReactiveStringRedisTemplate redis, CacheKeys keys, JsonMapper json, MeetingProperties properties,
			CircuitBreakerRegistry breakers) {
		// shared by both caches: an open breaker sends lookups straight to the database or the directory
		this.breaker = breakers.circuitBreaker("redis");
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.ttl = properties.cache().ttl();
		this.timeout = properties.cache().timeout();
	}

	Mono<Meeting> find(UUID meetingId) {
		return this.redis.opsForValue()
			.get(this.keys.meetingInfo(meetingId))
			// Spring Data Redis opens its shared connection synchronously on first use (and on every use while
			// Redis cannot be reached): never on an event-loop thread
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.timeout)
			.transform(CircuitBreakerOperator.of(this.breaker))
			.map((value) -> this.json.readValue(value, Meeting.class))
			.onErrorResume((ex) -> {
				log.warn("Meeting cache read failed for {}: {}", meetingId, ex.toString());
				return Mono.empty();
			});
	}

	Mono<Void> save(Meeting meeting) {
		return this.redis.opsForValue()
			.set(this.keys.meetingInfo(meeting.meetingId()), this.json.writeValueAsString(meeting), this.ttl)
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.timeout)
			.transform(CircuitBreakerOperator.of(this.breaker))
			.onErrorResume((ex) -> {
				log.warn("Meeting cache write failed for {}: {}", meeting.meetingId(), ex.toString());
				return Mono.empty();
			})
			.then();
	}

}
