package dev.seed.meetings.gateway.limits;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.seed.meetings.gateway.config.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * One token bucket per user in Redis, shared by every gateway instance, from which each instance takes a few tokens
 * at a time (a lease) and spends them itself: a user's requests reach Redis once per lease instead of once each.
 * A Redis round trip per request, and the request's move to the Redis client's thread and back, were a fifth of the
 * gateway's CPU per booking (flight recordings under load).
 * <p>
 * The bucket refills at {@code replenishRate} tokens a second up to {@code burstCapacity}, as in Spring Cloud
 * Gateway's own limiter, whose Redis keys it uses. A lease is at most {@code leaseTokens} (never more than a tenth of
 * the bucket) and what Redis has; tokens an instance leased but did not spend within {@code leaseTime} are dropped,
 * so a user is held to the limit within {@code leaseTokens} per lease time and instance. If Redis fails, requests
 * go through: losing the limit for a while is better than losing the API.
 */
public final class LeasedRateLimiter implements RateLimiter<GatewayProperties.RateLimit> {

	private static final Logger log = LoggerFactory.getLogger(LeasedRateLimiter.class);

	private static final Response ALLOWED = new Response(true, Map.of());

	private static final Response DENIED = new Response(false, Map.of());

	private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

	/**
	 * Refills the bucket for the time since its last use and takes up to ARGV[3] tokens from it. KEYS: the tokens
	 * left and the time they were counted (seconds, Redis' clock). Returns the tokens granted (0 if the bucket has
	 * less than one) and the whole tokens left.
	 */
	static final RedisScript<List<Long>> LEASE_SCRIPT = leaseScript();

	private final ReactiveStringRedisTemplate redis;

	private final GatewayProperties.RateLimit limit;

	private final String keyPrefix;

	private final List<String> scriptArgs;

	private final Cache<String, AtomicInteger> leases;

	/** System.nanoTime() may be negative: the first failure is logged from the moment the limiter exists. */
	private final AtomicLong nextFailureLog = new AtomicLong(System.nanoTime());

	public LeasedRateLimiter(ReactiveStringRedisTemplate redis, GatewayProperties.RateLimit limit, String keyPrefix) {
		this(redis, limit, keyPrefix, Ticker.systemTicker());
	}

	LeasedRateLimiter(ReactiveStringRedisTemplate redis, GatewayProperties.RateLimit limit, String keyPrefix,
			Ticker ticker) {
		this.redis = redis;
		this.limit = limit;
		this.keyPrefix = keyPrefix;
		this.scriptArgs = List.of(Integer.toString(limit.replenishRate()), Integer.toString(limit.burstCapacity()),
				Integer.toString(leaseSize(limit)));
		this.leases = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(limit.leaseTime()).build();
	}

	/** The tokens asked for per lease: {@code leaseTokens}, at most a tenth of the bucket, at least one. */
	static int leaseSize(GatewayProperties.RateLimit limit) {
		return Math.max(1, Math.min(limit.leaseTokens(), limit.burstCapacity() / 10));
	}

	@Override
	public Mono<Response> isAllowed(String routeId, String user) {
		AtomicInteger lease = this.leases.getIfPresent(user);
		if (lease != null && lease.getAndDecrement() > 0) {
			return Mono.just(ALLOWED);
		}
		List<String> keys = List.of(bucketKey(user, "tokens"), bucketKey(user, "timestamp"));
		return this.redis.execute(LEASE_SCRIPT, keys, this.scriptArgs)
			.next()
			.map((granted) -> {
				long tokens = granted.get(0);
				if (tokens < 1) {
					return DENIED;
				}
				if (tokens > 1) {
					this.leases.put(user, new AtomicInteger((int) tokens - 1));
				}
				return ALLOWED;
			})
			.onErrorResume((ex) -> {
				logFailure(ex);
				return Mono.just(ALLOWED);
			});
	}

	/** Spring Cloud Gateway's key names: its limiter and this one can share buckets during a rolling upgrade. */
	private String bucketKey(String user, String part) {
		return this.keyPrefix + "request_rate_limiter.{" + user + "}." + part;
	}

	private void logFailure(Throwable ex) {
		long now = System.nanoTime();
		long next = this.nextFailureLog.get();
		if (now - next >= 0 && this.nextFailureLog.compareAndSet(next, now + FAILURE_LOG_INTERVAL.toNanos())) {
			log.warn("Rate limit not enforced, Redis failed: {}", ex.toString());
		}
	}

	@Override
	public Map<String, GatewayProperties.RateLimit> getConfig() {
		return Map.of();
	}

	@Override
	public Class<GatewayProperties.RateLimit> getConfigClass() {
		return GatewayProperties.RateLimit.class;
	}

	@Override
	public GatewayProperties.RateLimit newConfig() {
		return this.limit;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RedisScript<List<Long>> leaseScript() {
		String script = """
				local rate = tonumber(ARGV[1])
				local capacity = tonumber(ARGV[2])
				local wanted = tonumber(ARGV[3])
				local time = redis.call('TIME')
				local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
				local tokens = tonumber(redis.call('GET', KEYS[1])) or capacity
				local counted = tonumber(redis.call('GET', KEYS[2])) or now
				tokens = math.min(capacity, tokens + math.max(0, now - counted) * rate)
				local granted = math.min(wanted, math.floor(tokens))
				tokens = tokens - granted
				local ttl = math.ceil(capacity / rate * 2)
				redis.call('SETEX', KEYS[1], ttl, tostring(tokens))
				redis.call('SETEX', KEYS[2], ttl, tostring(now))
				return { granted, math.floor(tokens) }
				""";
		return (RedisScript) RedisScript.of(script, List.class);
	}

}
