package dev.seed.meetings.gateway.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * {@code UUID.randomUUID()} (Spring Session's ids) refills its buffer from {@code /dev/urandom}, which never blocks;
 * BlockHound cannot tell that file read from a blocking one.
 */
public class UuidBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
	}

}
