package dev.seed.meetings.meeting.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Library locks that guard a few field updates, never I/O. Under concurrent requests a thread can park on them for
 * microseconds, which BlockHound reports like a blocking call and which then fails the request.
 */
public class ShortLocksBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// Jackson builds a deserializer once per type under a lock; concurrent first uses wait for it
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// the circuit breakers record each outcome in their sliding window under a lock
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics",
				"getSnapshot");
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "record");
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "getSnapshot");
		// the holder of the shared reactive Redis connection is created under a lock (connecting happens later)
		builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
				"getOrCreateSharedReactiveConnection");
	}

}
