package dev.seed.meetings.meeting.ids;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTests {

	private static final Instant AT = Instant.parse("2026-12-05T07:30:00.123Z");

	/** Version 7, the IETF variant, and the instant's milliseconds in the first 48 bits. */
	@Test
	void layoutIsVersion7() {
		UUID id = TimeOrderedIds.at(AT);

		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
		assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", AT.toEpochMilli() >>> 16,
				AT.toEpochMilli() & 0xFFFF));
	}

	/** Ids sort by their instant the way PostgreSQL compares uuids (byte by byte), whatever their random bits. */
	@Test
	void laterIdsSortAfter() {
		for (int i = 0; i < 1_000; i++) {
			String earlier = TimeOrderedIds.at(AT).toString();
			String later = TimeOrderedIds.at(AT.plusMillis(1)).toString();
			assertThat(later).isGreaterThan(earlier);
		}
	}

	/** Within one millisecond, the random bits keep ids apart. */
	@Test
	void idsOfOneMillisecondDiffer() {
		Set<UUID> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(TimeOrderedIds.at(AT));
		}
		assertThat(ids).hasSize(100_000);
	}

}
