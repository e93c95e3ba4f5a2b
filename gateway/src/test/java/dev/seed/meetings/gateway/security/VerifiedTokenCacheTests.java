package dev.seed.meetings.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokenCacheTests {

	private static final Duration MAX_AGE = Duration.ofMinutes(5);

	private final FakeTime time = new FakeTime(Instant.parse("2026-11-24T10:00:00Z"));

	/** Tokens named "good-<minutes to exp>" verify; any other token is rejected. Every call is recorded. */
	private final List<String> decoded = new ArrayList<>();

	private final ReactiveJwtDecoder decoder = (token) -> {
		this.decoded.add(token);
		if (!token.startsWith("good-")) {
			return Mono.error(new BadJwtException("bad signature"));
		}
		Instant issuedAt = Instant.parse("2026-11-24T10:00:00Z");
		Instant expiresAt = issuedAt.plus(Duration.ofMinutes(Long.parseLong(token.substring("good-".length()))));
		if (!this.time.instant().isBefore(expiresAt)) {
			return Mono.error(new BadJwtException("expired"));
		}
		return Mono.just(Jwt.withTokenValue(token).headers((h) -> h.putAll(Map.of("alg", "HS256")))
			.subject("u-" + token)
			.issuedAt(issuedAt)
			.expiresAt(expiresAt)
			.build());
	};

	private final VerifiedTokenCache cache = new VerifiedTokenCache(this.decoder, 100, MAX_AGE, this.time,
			this.time::nanos);

	@Test
	void aTokenSeenAgainIsNotVerifiedAgain() {
		StepVerifier.create(this.cache.decode("good-60")).assertNext((jwt) -> assertThat(jwt.getSubject()).isEqualTo("u-good-60")).verifyComplete();
		StepVerifier.create(this.cache.decode("good-60")).assertNext((jwt) -> assertThat(jwt.getSubject()).isEqualTo("u-good-60")).verifyComplete();
		StepVerifier.create(this.cache.decode("good-30")).expectNextCount(1).verifyComplete();

		assertThat(this.decoded).containsExactly("good-60", "good-30");
	}

	@Test
	void aRejectedTokenIsVerifiedAndRejectedEveryTime() {
		StepVerifier.create(this.cache.decode("forged")).verifyError(BadJwtException.class);
		StepVerifier.create(this.cache.decode("forged")).verifyError(BadJwtException.class);

		assertThat(this.decoded).containsExactly("forged", "forged");
	}

	@Test
	void aRememberedTokenIsVerifiedAgainOnceItExpires() {
		StepVerifier.create(this.cache.decode("good-2")).expectNextCount(1).verifyComplete();
		this.time.advance(Duration.ofSeconds(119));
		StepVerifier.create(this.cache.decode("good-2")).expectNextCount(1).verifyComplete();
		assertThat(this.decoded).hasSize(1);

		this.time.advance(Duration.ofSeconds(1));
		StepVerifier.create(this.cache.decode("good-2")).expectErrorMessage("expired").verify();
		assertThat(this.decoded).hasSize(2);
	}

	@Test
	void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
		StepVerifier.create(this.cache.decode("good-600")).expectNextCount(1).verifyComplete();
		this.time.advance(MAX_AGE.minusSeconds(1));
		StepVerifier.create(this.cache.decode("good-600")).expectNextCount(1).verifyComplete();
		assertThat(this.decoded).hasSize(1);

		this.time.advance(Duration.ofSeconds(1));
		StepVerifier.create(this.cache.decode("good-600")).expectNextCount(1).verifyComplete();
		assertThat(this.decoded).hasSize(2);
	}

	/** One fake time for the wall clock (token expiry) and the cache's ticker (entry age). */
	private static final class FakeTime extends Clock {

		private final Instant start;

		private long nanos;

		FakeTime(Instant start) {
			this.start = start;
		}

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

		long nanos() {
			return this.nanos;
		}

		@Override
		public Instant instant() {
			return this.start.plusNanos(this.nanos);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
