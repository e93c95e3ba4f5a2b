package dev.seed.meetings.meeting.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxRelayTests extends IntegrationTest {

	@Autowired
	OutboxRelay relay;

	/** An unpublished outbox row is published once by the relay and marked; the next pass finds nothing. */
	@Test
	void relayPublishesPendingRowsOnce() throws Exception {
		UUID outboxId = UUID.randomUUID();
		UUID eventId = UUID.randomUUID();
		String payload = "{\"eventId\":\"" + eventId + "\",\"type\":\"MeetingCreated\"}";
		try (Connection jdbc = TestStack.get().openJdbc(); PreparedStatement insert = jdbc.prepareStatement(
				"INSERT INTO meeting.outbox (id, event_id, routing_key, payload) VALUES (?, ?, 'meeting.created', ?)")) {
			insert.setObject(1, outboxId);
			insert.setObject(2, eventId);
			insert.setString(3, payload);
			insert.executeUpdate();
		}
		try (EventQueue events = new EventQueue()) {
			drainPending();

			GetResponse message = events.drain(Duration.ofSeconds(1)).stream()
				.filter((m) -> eventId.toString().equals(m.getProps().getMessageId()))
				.reduce((a, b) -> {
					throw new AssertionError("published twice");
				})
				.orElseThrow();
			assertThat(EventQueue.body(message)).isEqualTo(payload);
			this.relay.publishPending().as(StepVerifier::create).expectNext(0).verifyComplete();
		}
		try (Connection jdbc = TestStack.get().openJdbc(); ResultSet row = jdbc.createStatement().executeQuery(
				"SELECT published_at IS NOT NULL, attempts FROM meeting.outbox WHERE id = '" + outboxId + "'")) {
			row.next();
			assertThat(row.getBoolean(1)).isTrue();
			assertThat(row.getInt(2)).isEqualTo(1);
		}
	}

	private void drainPending() {
		// other tests may have left rows behind; keep passing until none is left
		for (int pass = 0; pass < 20; pass++) {
			Integer published = this.relay.publishPending().block(Duration.ofSeconds(10));
			if (published == null || published == 0) {
				return;
			}
		}
	}

}
