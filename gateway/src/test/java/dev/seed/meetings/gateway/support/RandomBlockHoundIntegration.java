package dev.seed.meetings.gateway.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * {@code UUID.randomUUID()} (Spring Session's ids) and Spring Security's key generator (an OpenID Connect request's
 * state and nonce) refill their buffer from {@code /dev/urandom}, which never blocks; BlockHound cannot tell that file
 * read from a blocking one.
 */
public class RandomBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
		builder.allowBlockingCallsInside("org.springframework.security.crypto.keygen.SecureRandomBytesKeyGenerator",
				"generateKey");
	}

}
