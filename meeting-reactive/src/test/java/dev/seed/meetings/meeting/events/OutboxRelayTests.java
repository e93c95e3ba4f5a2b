package dev.seed.meetings.meeting.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxRelayTests extends IntegrationTest {

	@Autowired
	OutboxRelay relay;

	/** An unpublished outbox row past the grace period is published once by the relay and marked; the next pass finds nothing. */
	@Test
	void relayPublishesPendingRowsOnce() throws Exception {
		UUID eventId = UUID.randomUUID();
		String payload = payload(eventId);
		UUID outboxId = insert(eventId, payload, "now() - interval '1 minute'", null);
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
				"SELECT published_at IS NOT NULL, attempts, claimed_until FROM meeting.outbox WHERE id = '" + outboxId + "'")) {
			row.next();
			assertThat(row.getBoolean(1)).isTrue();
			assertThat(row.getInt(2)).isEqualTo(1);
			assertThat(row.getObject(3)).as("lease released").isNull();
		}
	}

	/** The relay leaves alone a row younger than the grace period (the fast path's) and a row another pass has leased. */
	@Test
	void relaySkipsYoungAndLeasedRows() throws Exception {
		UUID young = UUID.randomUUID();
		UUID leased = UUID.randomUUID();
		insert(young, payload(young), "now()", null);
		insert(leased, payload(leased), "now() - interval '1 minute'", "now() + interval '1 minute'");
		try (EventQueue events = new EventQueue()) {
			drainPending();

			assertThat(events.drain(Duration.ofSeconds(1))).extracting((m) -> m.getProps().getMessageId())
				.doesNotContain(young.toString(), leased.toString());
		}
		assertThat(publishedCount(young, leased)).isZero();
	}

	/** Racing relay passes (as several instances run them) publish each row exactly once. */
	@Test
	void racingPassesNeverPublishARowTwice() throws Exception {
		List<UUID> eventIds = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			UUID eventId = UUID.randomUUID();
			insert(eventId, payload(eventId), "now() - interval '1 minute'", null);
			eventIds.add(eventId);
		}
		try (EventQueue events = new EventQueue()) {
			for (int round = 0; round < 5; round++) {
				Flux.range(0, 4).flatMap((pass) -> this.relay.publishPending()).blockLast(Duration.ofSeconds(30));
			}
			Map<String, Integer> copies = new HashMap<>();
			events.drain(Duration.ofSeconds(1)).forEach((m) -> copies.merge(m.getProps().getMessageId(), 1, Integer::sum));
			assertThat(eventIds).allSatisfy((id) -> assertThat(copies.get(id.toString())).as(id.toString()).isEqualTo(1));
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

	private static String payload(UUID eventId) {
		return "{\"eventId\":\"" + eventId + "\",\"type\":\"MeetingCreated\"}";
	}

	private static UUID insert(UUID eventId, String payload, String createdAt, String claimedUntil) throws Exception {
		UUID outboxId = UUID.randomUUID();
		try (Connection jdbc = TestStack.get().openJdbc(); PreparedStatement insert = jdbc.prepareStatement(
				"INSERT INTO meeting.outbox (id, event_id, routing_key, payload, created_at, claimed_until) "
						+ "VALUES (?, ?, 'meeting.created', ?, " + createdAt + ", "
						+ ((claimedUntil != null) ? claimedUntil : "NULL") + ")")) {
			insert.setObject(1, outboxId);
			insert.setObject(2, eventId);
			insert.setString(3, payload);
			insert.executeUpdate();
		}
		return outboxId;
	}

	private static int publishedCount(UUID... eventIds) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc(); PreparedStatement query = jdbc.prepareStatement(
				"SELECT count(*) FROM meeting.outbox WHERE event_id = ANY(?) AND (published_at IS NOT NULL OR attempts > 0)")) {
			query.setArray(1, jdbc.createArrayOf("uuid", eventIds));
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

}
