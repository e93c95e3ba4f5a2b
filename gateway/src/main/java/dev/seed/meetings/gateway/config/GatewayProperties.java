package dev.seed.meetings.gateway.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway needs to know about its surroundings.
 *
 * @param meetingServiceUrl base URL of meeting-reactive
 * @param userServiceUrl base URL of user-reactive
 * @param notifierServiceUrl base URL of notifier-reactive
 * @param maxRequestBytes the largest request body accepted, larger ones get 413
 * @param redisKeyPrefix prepended to every Redis key the gateway writes (rate-limit buckets)
 * @param rateLimit the per-user token bucket
 * @param invitationRateLimit the token bucket per client address of the invitation page and its API, which need no
 * bearer token (the link's token is the credential): it bounds how fast anyone can guess
 * @param cors which browser origins may call the API
 * @param jwt how bearer tokens are verified
 * @param serviceToken sent to the services in {@code X-Gateway-Token} with every forwarded request, so that they
 * take {@code X-User-Id} from the gateway only (meeting-reactive's {@code meeting.gateway-token}); none by default
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
		@NotNull @DefaultValue("http://127.0.0.1:8081") URI meetingServiceUrl,
		@NotNull @DefaultValue("http://127.0.0.1:8082") URI userServiceUrl,
		@NotNull @DefaultValue("http://127.0.0.1:8083") URI notifierServiceUrl,
		@NotNull @DefaultValue("64KB") DataSize maxRequestBytes,
		@NotNull @DefaultValue("") String redisKeyPrefix,
		@Valid @NotNull @DefaultValue RateLimit rateLimit,
		@Valid @NotNull @DefaultValue RateLimit invitationRateLimit,
		@Valid @NotNull @DefaultValue Cors cors,
		@Valid @NotNull @DefaultValue Jwt jwt, String serviceToken) {

	/**
	 * @param replenishRate tokens added to a user's bucket per second
	 * @param burstCapacity the bucket's size: how many requests a user may make at once
	 * @param leaseTokens how many tokens an instance takes from the bucket in Redis at a time, to spend without
	 * asking Redis again (at most a tenth of the bucket); 1 asks Redis on every request
	 * @param leaseTime how long an instance may spend a lease; tokens left after it are dropped
	 */
	public record RateLimit(@Min(1) @DefaultValue("200") int replenishRate,
			@Min(1) @DefaultValue("400") int burstCapacity, @Min(1) @DefaultValue("10") int leaseTokens,
			@NotNull @DefaultValue("1s") Duration leaseTime) {
	}

	/**
	 * @param allowedOrigins origins allowed to call {@code /api/**} from a browser; none by default
	 */
	public record Cors(@NotNull @DefaultValue List<String> allowedOrigins) {
	}

	/**
	 * Either a shared HS256 secret or an issuer's JWK set. Checked here, so that a gateway
	 * that could not verify tokens never starts.
	 *
	 * @param secret the HS256 key, at least 32 bytes (UTF-8)
	 * @param jwkSetUri the issuer's JWK set; when given, the secret is not needed
	 * @param verifiedCacheSize how many verified tokens are remembered, so that a client's next request with the
	 * same token is not parsed and verified again; 0 verifies every request
	 * @param verifiedCacheMaxAge the longest a verified token is remembered (never past its {@code exp}): how long a
	 * key removed from the JWK set still lets its tokens in
	 */
	public record Jwt(String secret, URI jwkSetUri, @Min(0) @DefaultValue("10000") int verifiedCacheSize,
			@NotNull @DefaultValue("5m") Duration verifiedCacheMaxAge) {

		public static final int MIN_SECRET_BYTES = 32;

		public Jwt {
			if (jwkSetUri == null && (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES)) {
				throw new IllegalArgumentException("gateway.jwt.secret must be at least " + MIN_SECRET_BYTES
						+ " bytes, or gateway.jwt.jwk-set-uri must be set");
			}
		}

		public boolean hasSecret() {
			return StringUtils.hasText(this.secret);
		}

	}

}
