package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A booking slowed after its commit (the broker silent, its confirm awaited longer than the booking may take): the
 * booking's bound answers for it, as booked, since the meeting and its event are durable.
 */
class BookingBoundTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(BookingBoundTests.class);

	private static final Duration BOUND = Duration.ofSeconds(1);

	static final FaultProxy broker = FaultProxy.start("rabbitmq-stall", TestStack.get().rabbitHost(),
			TestStack.get().rabbitPort());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStackWithBrokerThrough(registry, broker);
		registry.add("meeting.booking.timeout", () -> BOUND.toMillis() + "ms");
		// the confirm would be awaited far longer than the booking may take
		registry.add("meeting.events.confirm-timeout", () -> "30s");
		registry.add("meeting.outbox.relay-grace", () -> "40s");
		registry.add("meeting.outbox.claim-lease", () -> "60s");
	}

	@AfterEach
	void heal() {
		broker.heal();
	}

	/** Fault drill item 5: broker stalled after the commit, bound 1 s: 201 within the bound plus a second. */
	@Test
	void aBookingSlowedAfterItsCommitAnswersAsBookedWithinTheBound() throws Exception {
		List<String> ids = users.newUsers(2);
		// a cold service on a busy machine may need more than the bound for its first bookings
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> post("Before the stall", ids).expectStatus().isCreated());
		broker.stall();
		String title = "Broker stalled " + UUID.randomUUID();

		long started = System.nanoTime();
		String location = post(title, ids).expectStatus().isCreated()
			.returnResult(String.class).getResponseHeaders().getLocation().toString();
		Duration answeredAfter = Duration.ofNanos(System.nanoTime() - started);

		assertThat(answeredAfter).isLessThan(BOUND.plusSeconds(1));
		assertThat(Counts.of("SELECT count(*) FROM meeting.meetings WHERE title = '" + title + "' AND '" + location
				+ "' = '/api/meetings/' || id")).isEqualTo(1);
		assertThat(Counts.of("SELECT count(*) FROM meeting.outbox o JOIN meeting.meetings m ON o.payload::text LIKE "
				+ "'%' || m.id || '%' WHERE m.title = '" + title + "' AND o.published_at IS NULL"))
			.as("its event waits in the outbox for the relay").isEqualTo(1);
		log.info("Booking slowed by a stalled broker (confirm awaited up to 30 s) with bound {} ms: answered 201 "
				+ "after {} ms", BOUND.toMillis(), answeredAfter.toMillis());
	}

}
