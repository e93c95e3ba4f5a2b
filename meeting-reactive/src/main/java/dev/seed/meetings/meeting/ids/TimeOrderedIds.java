package dev.seed.meetings.meeting.ids;

import java.time.Instant;
import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562): the Unix time in milliseconds in the first 48 bits, random bits after the version
 * and variant. They key the meeting and outbox tables, whose B-tree indexes then take each insert on their last
 * pages instead of a random page each: after every PostgreSQL checkpoint, the first change to a page writes the whole
 * page to the WAL, and with random (version 4) keys nearly every booking's first changes to its four keyed indexes
 * were such first changes (the WAL written per booking, measured under load).
 */
public final class TimeOrderedIds {

	private static final long VERSION_7 = 0x7000L;

	private static final long RANDOM_A = 0x0FFFL;

	private TimeOrderedIds() {
	}

	/** A new id that sorts by {@code instant} (to the millisecond) before its random bits. */
	public static UUID at(Instant instant) {
		// a version 4 UUID has its version and variant where version 7 has them, and random bits everywhere else
		UUID random = UUID.randomUUID();
		long mostSignificant = (instant.toEpochMilli() << 16) | VERSION_7
				| (random.getMostSignificantBits() & RANDOM_A);
		return new UUID(mostSignificant, random.getLeastSignificantBits());
	}

}
