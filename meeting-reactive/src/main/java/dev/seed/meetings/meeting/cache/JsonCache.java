package dev.seed.meetings.meeting.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
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

import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.support.context.RequestContext;

/**
 * JSON values in Redis, each call bounded by {@code meeting.cache.timeout} and behind the {@code redis} circuit
 * breaker. A cache never fails its caller: a failed or unreadable read is a miss, a failed write is skipped.
 * <p>
 * A failed call is logged at DEBUG only: with Redis down every booking fails several calls, and a WARN each (even
 * for the calls the open breaker refuses without trying) was thousands of lines in seconds. The breaker's WARN when
 * it opens and when it closes again ({@link ResilienceConfiguration}) says that Redis is down and since when.
 */
@Component
public class JsonCache {

	private static final Logger log = LoggerFactory.getLogger(JsonCache.class);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper json;

	private final Duration ttl;

	private final Duration timeout;

	private final CircuitBreaker breaker;

	// fields and a constructor of the same shape as AttendeeResolver's: collaborators taken in, nothing to share
	JsonCache(ReactiveStringRedisTemplate redis, JsonMapper json, MeetingProperties properties,
			CircuitBreakerRegistry breakers) {
		this.redis = redis;
		this.json = json;
		this.ttl = properties.cache().ttl();
		this.timeout = properties.cache().timeout();
		// one breaker for every key: an open breaker sends lookups straight to the database or the directory
		this.breaker = breakers.circuitBreaker("redis");
	}

	/** The value under {@code key}; empty when absent, unreadable or when Redis fails. */
	public <T> Mono<T> get(String key, Class<T> type) {
		return guarded(this.redis.opsForValue().get(key))
			.onErrorResume((ex) -> failed("Cache read of {} failed, taken as a miss: {}", key, ex).then(Mono.empty()))
			.mapNotNull((value) -> parse(key, value, type));
	}

	/**
	 * The cached values of {@code ids} (each stored under {@code keyOf.apply(id)}) in one {@code MGET}, by id; the
	 * absent and the unreadable are left out, and a Redis failure leaves out every one.
	 */
	public <K, T> Mono<Map<K, T>> getAll(List<K> ids, Function<K, String> keyOf, Class<T> type) {
		List<String> keys = ids.stream().map(keyOf).toList();
		return guarded(this.redis.opsForValue().multiGet(keys))
			.onErrorResume((ex) -> failed("Cache read of {} keys failed, taken as misses: {}", keys.size(), ex)
				.then(Mono.just(List.of())))
			.map((values) -> parseAll(ids, keys, values, type));
	}

	/** Stores {@code value} under {@code key} for {@code meeting.cache.ttl}; completes even when Redis fails. */
	public Mono<Void> put(String key, Object value) {
		String serialized = this.json.writeValueAsString(value);
		return guarded(this.redis.opsForValue().set(key, serialized, this.ttl))
			.onErrorResume((ex) -> failed("Cache write of {} failed, skipped: {}", key, ex).then(Mono.empty()))
			.then();
	}

	/** Removes {@code key}; completes even when Redis fails (the entry then lives out its TTL). */
	public Mono<Void> delete(String key) {
		return guarded(this.redis.delete(key))
			.onErrorResume((ex) -> failed("Cache delete of {} failed, the entry expires on its own: {}", key, ex)
				.then(Mono.empty()))
			.then();
	}

	/** A failed call, at DEBUG; nothing for a call the open breaker refused, as it did not even try. */
	private static Mono<Void> failed(String message, Object subject, Throwable ex) {
		if (ex instanceof CallNotPermittedException || !log.isDebugEnabled()) {
			return Mono.empty();
		}
		return RequestContext.log(() -> log.debug(message, subject, ex.toString()));
	}

	private <T> Mono<T> guarded(Mono<T> call) {
		return call
			// The timeout may fire while a call still waits in Lettuce (a connect while Redis cannot be reached, see
			// RedisConnectionAtStartUp): as an error, that late signal would reach the timeout and be reported by
			// Reactor at ERROR as dropped; carried as a value it is discarded quietly. Errors in time are restored
			// below and reach the breaker as before.
			.materialize()
			// Off the event loops, always: a connect waits for its handshake until the connection has been opened.
			// Issued on the event loops instead, the calls once left an event loop spinning for good in Lettuce's
			// endpoint lock (SharedLock.incrementWriters, under the broker-outage tests); not understood yet, so the
			// hop stays, at a thread hand-off per call (three per booking).
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.timeout)
			.<T>dematerialize()
			.transform(CircuitBreakerOperator.of(this.breaker));
	}

	private <K, T> Map<K, T> parseAll(List<K> ids, List<String> keys, List<String> values, Class<T> type) {
		Map<K, T> found = new HashMap<>();
		for (int i = 0; i < ids.size() && i < values.size(); i++) {
			T parsed = parse(keys.get(i), values.get(i), type);
			if (parsed != null) {
				found.put(ids.get(i), parsed);
			}
		}
		return found;
	}

	private <T> T parse(String key, String value, Class<T> type) {
		if (value == null) {
			return null;
		}
		try {
			return this.json.readValue(value, type);
		}
		catch (JacksonException ex) {
			log.warn("Ignoring the unreadable cache entry {}", key);
			return null;
		}
	}

}
