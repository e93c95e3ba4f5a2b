package dev.seed.meetings.meeting.faults;

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
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay with the broker link running through a proxy that slows or holds it: a late confirm is kept, a
 * row unconfirmed after the claim lease is published again once, and a backlog drains in concurrent batches while the
 * lag gauges show it.
 */
class SlowBrokerRelayTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(SlowBrokerRelayTests.class);

	private static final Duration LEASE = Duration.ofSeconds(3);

	static final FaultProxy broker = FaultProxy.start("rabbitmq-slow", TestStack.get().rabbitHost(),
			TestStack.get().rabbitPort());

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStackWithBrokerThrough(registry, broker);
		registry.add("meeting.outbox.relay-enabled", () -> "true");
		registry.add("meeting.outbox.relay-interval", () -> "200ms");
		registry.add("meeting.outbox.relay-grace", () -> "1s");
		registry.add("meeting.outbox.claim-lease", () -> LEASE.toMillis() + "ms");
		registry.add("meeting.events.confirm-timeout", () -> "500ms");
	}

	@AfterEach
	void heal() {
		broker.heal();
	}

	/**
	 * The publisher's connection and channel open on first use: a row published over the healthy link first, so that
	 * what a test counts afterwards is its slowed link's doing, not a handshake made over it (which refuses publishes,
	 * and so adds attempts, until it completes).
	 */
	@BeforeEach
	void publisherConnected() throws Exception {
		UUID outboxId = insert(List.of(UUID.randomUUID()), "now() - interval '1 minute'", null).get(0);
		await("the publisher's channel is open").atMost(Duration.ofSeconds(30)).until(() -> row(outboxId).published());
	}

	/**
	 * Acks that take about 1.4 s (700 ms each way), past the 500 ms confirm timeout: the row is marked published by
	 * the late ack, and not published again when its lease runs out.
	 */
	@Test
	void lateConfirmIsKept() throws Exception {
		// every routing key has a queue here, so that rows other test classes left behind are routable too
		try (EventQueue events = new EventQueue("#")) {
			double lateBefore = counter("meeting.events.late.confirms");
			double republishedBefore = counter("meeting.outbox.republished");
			broker.delay(Duration.ofMillis(700));
			UUID eventId = UUID.randomUUID();
			UUID outboxId = insert(List.of(eventId), "now() - interval '1 minute'", null).get(0);

			await("the late ack marks the row").atMost(Duration.ofSeconds(15))
				.until(() -> row(outboxId).published());
			broker.heal();
			assertThat(counter("meeting.events.late.confirms")).isGreaterThan(lateBefore);

			// past the lease: a relay that forgot the late ack would publish it again now
			List<GetResponse> copies = copiesOf(events, eventId, LEASE.plusSeconds(2));
			Row row = row(outboxId);
			log.info("Late confirm: {} copy(ies), attempts {}, late confirms {}, republished {}", copies.size(),
					row.attempts(), counter("meeting.events.late.confirms") - lateBefore,
					counter("meeting.outbox.republished") - republishedBefore);
			assertThat(copies).as("copies delivered").hasSize(1);
			assertThat(row.attempts()).as("publish attempts").isEqualTo(1);
			assertThat(row.leased()).as("lease released").isFalse();
		}
	}

	/**
	 * The broker link held: the row is not published again before its lease runs out, then once; after the heal both
	 * copies arrive, the row is marked and it is not published a third time.
	 */
	@Test
	void unconfirmedAfterTheBoundIsRepublishedOnce() throws Exception {
		try (EventQueue events = new EventQueue("#")) {
			double republishedBefore = counter("meeting.outbox.republished");
			broker.stall();
			UUID eventId = UUID.randomUUID();
			UUID outboxId = insert(List.of(eventId), "now() - interval '1 minute'", null).get(0);

			await("first attempt").atMost(Duration.ofSeconds(5)).until(() -> row(outboxId).attempts() == 1);
			long firstAttempt = System.nanoTime();
			await("second attempt, after the lease").atMost(LEASE.plusSeconds(5)).until(() -> row(outboxId).attempts() == 2);
			Duration between = Duration.ofNanos(System.nanoTime() - firstAttempt);
			assertThat(between).as("no republish before the lease ran out").isGreaterThanOrEqualTo(LEASE.minusMillis(300));
			broker.heal();

			await("marked after the heal").atMost(Duration.ofSeconds(10)).until(() -> row(outboxId).published());
			List<GetResponse> copies = copiesOf(events, eventId, LEASE.plusSeconds(2));
			Row row = row(outboxId);
			log.info("Unconfirmed for {} ms: republished after the lease, {} copies, attempts {}, republished {}",
					between.toMillis(), copies.size(), row.attempts(),
					counter("meeting.outbox.republished") - republishedBefore);
			assertThat(copies).as("copies delivered: the first and the one republish").hasSize(2);
			assertThat(row.attempts()).isEqualTo(2);
			assertThat(counter("meeting.outbox.republished") - republishedBefore).isEqualTo(1);
		}
	}

	/**
	 * 1,000 unpublished rows, leased by an instance that died, over a link that adds 10 ms to every chunk: the gauges
	 * show the backlog and its age; once the lease runs out the relay drains it in concurrent batches, each row once,
	 * well within 10 s (one batch of 100 per 5 s pass would have taken 50 s), and the gauges drop to 0.
	 */
	@Test
	void backlogDrainsInConcurrentBatches() throws Exception {
		int backlog = 1000;
		try (EventQueue events = new EventQueue("#")) {
			broker.delay(Duration.ofMillis(10));
			List<UUID> eventIds = new ArrayList<>();
			for (int i = 0; i < backlog; i++) {
				eventIds.add(UUID.randomUUID());
			}
			insert(eventIds, "now() - interval '1 minute'", "now() + interval '3 seconds'");
			long leaseEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();

			await("the gauges show the backlog").atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				assertThat(gauge("meeting.outbox.unpublished")).isGreaterThanOrEqualTo(backlog);
				assertThat(gauge("meeting.outbox.oldest.age")).isGreaterThanOrEqualTo(59);
			});
			this.http.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
				.value((body) -> assertThat(body).containsPattern("(?m)^meeting_outbox_oldest_age_seconds\\S* ")
					.containsPattern("(?m)^meeting_outbox_unpublished\\S* "));
			double ageWithBacklog = gauge("meeting.outbox.oldest.age");

			long started = leaseEnds;
			await("the backlog drained").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
				.until(() -> Counts.of("SELECT count(*) FROM meeting.outbox WHERE published_at IS NULL") == 0);
			Duration drained = Duration.ofNanos(System.nanoTime() - started);
			await("the gauges drop to 0").atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				assertThat(gauge("meeting.outbox.unpublished")).isZero();
				assertThat(gauge("meeting.outbox.oldest.age")).isZero();
			});

			Map<String, Integer> copies = new HashMap<>();
			List<String> wanted = eventIds.stream().map(UUID::toString).toList();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (!copies.keySet().containsAll(wanted) && System.nanoTime() < deadline) {
				events.take(backlog, Duration.ofMillis(500))
					.forEach((message) -> copies.merge(message.getProps().getMessageId(), 1, Integer::sum));
			}
			events.drain(Duration.ofSeconds(1))
				.forEach((message) -> copies.merge(message.getProps().getMessageId(), 1, Integer::sum));
			log.info("Backlog of {} rows (oldest {} s) drained in {} ms over a link slowed by 10 ms a chunk; "
					+ "attempts {}", backlog, (long) ageWithBacklog, drained.toMillis(), attempts(eventIds));
			assertThat(drained).isLessThan(Duration.ofSeconds(10));
			assertThat(wanted).allSatisfy((id) -> assertThat(copies.get(id)).as(id).isEqualTo(1));
		}
	}

	private double counter(String name) {
		return this.meters.get(name).counter().count();
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

	private static List<GetResponse> copiesOf(EventQueue events, UUID eventId, Duration within) throws Exception {
		return events.drain(within).stream()
			.filter((message) -> eventId.toString().equals(message.getProps().getMessageId()))
			.toList();
	}

	private static List<UUID> insert(List<UUID> eventIds, String createdAt, String claimedUntil) throws Exception {
		List<UUID> outboxIds = new ArrayList<>();
		try (Connection jdbc = TestStack.get().openJdbc()) {
			jdbc.setAutoCommit(false);
			try (PreparedStatement insert = jdbc.prepareStatement(
					"INSERT INTO meeting.outbox (id, event_id, routing_key, payload, created_at, claimed_until) "
							+ "VALUES (?, ?, 'meeting.created', ?, " + createdAt + ", "
							+ ((claimedUntil != null) ? claimedUntil : "NULL") + ")")) {
				for (UUID eventId : eventIds) {
					UUID outboxId = UUID.randomUUID();
					insert.setObject(1, outboxId);
					insert.setObject(2, eventId);
					insert.setString(3, "{\"eventId\":\"" + eventId + "\",\"type\":\"MeetingCreated\"}");
					insert.addBatch();
					outboxIds.add(outboxId);
				}
				insert.executeBatch();
			}
			jdbc.commit();
		}
		return outboxIds;
	}

	private static Row row(UUID outboxId) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc(); ResultSet row = jdbc.createStatement().executeQuery(
				"SELECT published_at IS NOT NULL, attempts, claimed_until IS NOT NULL FROM meeting.outbox WHERE id = '"
						+ outboxId + "'")) {
			row.next();
			return new Row(row.getBoolean(1), row.getInt(2), row.getBoolean(3));
		}
	}

	/** How many of these rows needed how many attempts. */
	private static Map<Integer, Integer> attempts(List<UUID> eventIds) throws Exception {
		Map<Integer, Integer> histogram = new HashMap<>();
		try (Connection jdbc = TestStack.get().openJdbc(); PreparedStatement query = jdbc.prepareStatement(
				"SELECT attempts, count(*) FROM meeting.outbox WHERE event_id = ANY(?) GROUP BY attempts")) {
			query.setArray(1, jdbc.createArrayOf("uuid", eventIds.toArray()));
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					histogram.put(rows.getInt(1), rows.getInt(2));
				}
			}
		}
		return histogram;
	}

	private record Row(boolean published, int attempts, boolean leased) {
	}

}
