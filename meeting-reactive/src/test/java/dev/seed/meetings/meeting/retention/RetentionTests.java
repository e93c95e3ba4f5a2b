package dev.seed.meetings.meeting.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.meeting.booking.BookingRollbackTests;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionTests extends IntegrationTest {

	@Autowired
	Retention retention;

	/**
	 * A pass deletes keys past their day and events published over a week ago; it keeps younger ones, and an
	 * unpublished event whatever its age.
	 */
	@Test
	void deletesOnlyWhatIsPastItsTime() throws Exception {
		String caller = "u-retention-" + UUID.randomUUID();
		UUID oldPublished = UUID.randomUUID();
		UUID recentPublished = UUID.randomUUID();
		UUID oldUnpublished = UUID.randomUUID();
		try (Connection jdbc = TestStack.get().openJdbc()) {
			key(jdbc, caller, "old", "25 hours");
			key(jdbc, caller, "recent", "23 hours");
			event(jdbc, oldPublished, "30 days", "8 days");
			event(jdbc, recentPublished, "30 days", "6 days");
			event(jdbc, oldUnpublished, "30 days", null);
		}

		StepVerifier.create(this.retention.purge())
			.assertNext((removed) -> {
				assertThat(removed.keys()).isGreaterThanOrEqualTo(1);
				assertThat(removed.events()).isGreaterThanOrEqualTo(1);
			})
			.verifyComplete();

		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.idempotency_keys WHERE caller = '" + caller
				+ "' AND key = 'old'")).isZero();
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.idempotency_keys WHERE caller = '" + caller
				+ "' AND key = 'recent'")).isEqualTo(1);
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE id = '" + oldPublished + "'"))
			.isZero();
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.outbox WHERE id IN ('" + recentPublished
				+ "', '" + oldUnpublished + "')")).isEqualTo(2);
		// an unpublished row is the relay's to publish: left behind, a later test class would receive its empty body
		try (Connection jdbc = TestStack.get().openJdbc()) {
			jdbc.createStatement().executeUpdate("DELETE FROM meeting.outbox WHERE id = '" + oldUnpublished + "'");
		}
	}

	private static void key(Connection jdbc, String caller, String key, String age) throws Exception {
		try (PreparedStatement insert = jdbc.prepareStatement("INSERT INTO meeting.idempotency_keys "
				+ "(caller, key, request_hash, meeting_id, status, created_at) VALUES (?, ?, 'h', ?, 201, now() - ?::interval)")) {
			insert.setString(1, caller);
			insert.setString(2, key);
			insert.setObject(3, UUID.randomUUID());
			insert.setString(4, age);
			insert.executeUpdate();
		}
	}

	private static void event(Connection jdbc, UUID id, String age, String publishedAgo) throws Exception {
		try (PreparedStatement insert = jdbc.prepareStatement("INSERT INTO meeting.outbox "
				+ "(id, event_id, routing_key, payload, created_at, published_at) "
				+ "VALUES (?, ?, 'meeting.created', '{}', now() - ?::interval, now() - ?::interval)")) {
			insert.setObject(1, id);
			insert.setObject(2, UUID.randomUUID());
			insert.setString(3, age);
			insert.setString(4, publishedAgo);
			insert.executeUpdate();
		}
	}

}
