package dev.seed.meetings.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** HS256 tokens for tests, signed like an issuer sharing the gateway's secret would. */
final class Tokens {

	static final String SECRET = "test-secret-for-the-gateway-0123456789abcdef";

	private Tokens() {
	}

	static String forUser(String subject) {
		return sign(SECRET, subject, Instant.now().plusSeconds(600));
	}

	/** A token with these scopes in its {@code scope} claim (separated by spaces). */
	static String forUser(String subject, String scope) {
		return sign(SECRET, subject, Instant.now().plusSeconds(600), scope);
	}

	static String sign(String secret, String subject, Instant expiresAt) {
		return sign(secret, subject, expiresAt, null);
	}

	private static String sign(String secret, String subject, Instant expiresAt, String scope) {
		NimbusJwtEncoder encoder = NimbusJwtEncoder
			.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
			.build();
		JwtClaimsSet.Builder builder = JwtClaimsSet.builder()
			.subject(subject)
			.issuedAt(expiresAt.minusSeconds(3600))
			.expiresAt(expiresAt);
		if (scope != null) {
			builder.claim("scope", scope);
		}
		JwtClaimsSet claims = builder.build();
		return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
	}

	static String newUserId() {
		return "u-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
