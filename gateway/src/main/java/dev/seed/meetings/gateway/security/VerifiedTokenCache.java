package dev.seed.meetings.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers the tokens the decoder accepted, so that a client sending the same bearer token on every request has it
 * parsed, verified and converted once rather than on each call (most of the gateway's own CPU per request, measured
 * in flight recordings under load). An entry lives until the token's {@code exp} or {@code maxAge}, whichever comes
 * first; a token that failed is never remembered, so it fails the same way each time.
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder decoder;

	private final Cache<String, Jwt> verified;

	private final Clock clock;

	VerifiedTokenCache(ReactiveJwtDecoder decoder, int maxEntries, Duration maxAge) {
		this(decoder, maxEntries, maxAge, Clock.systemUTC(), Ticker.systemTicker());
	}

	VerifiedTokenCache(ReactiveJwtDecoder decoder, int maxEntries, Duration maxAge, Clock clock, Ticker ticker) {
		this.decoder = decoder;
		this.clock = clock;
		this.verified = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.ticker(ticker)
			.expireAfter(Expiry.creating((String token, Jwt jwt) -> lifetime(jwt, maxAge)))
			.build();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Jwt known = this.verified.getIfPresent(token);
		if (known != null && !expired(known)) {
			return Mono.just(known);
		}
		return this.decoder.decode(token).doOnNext((jwt) -> this.verified.put(token, jwt));
	}

	private Duration lifetime(Jwt jwt, Duration maxAge) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return maxAge;
		}
		Duration left = Duration.between(this.clock.instant(), expiresAt);
		return left.isNegative() ? Duration.ZERO : (left.compareTo(maxAge) < 0 ? left : maxAge);
	}

	/** The cache's own expiry runs on its ticker; this guards the last moment against the wall clock as well. */
	private boolean expired(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		return expiresAt != null && !this.clock.instant().isBefore(expiresAt);
	}

}
