package dev.seed.meetings.notifier.delivery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.notifier.NotifierIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery records on the real PostgreSQL, in the shared test context. Its consumer sees none of these events;
 * its poller sees the rows that become due, so the rows here are either never due or meant to be taken over by it.
 */
class DeliveriesIntegrationTests extends NotifierIntegrationTest {

	private static final RetrySchedule HOURLY = new RetrySchedule(Duration.ofHours(1), Duration.ofHours(2),
			Duration.ofHours(24));

	private static final byte[] NO_BODY = new byte[0];

	@Autowired
	DatabaseClient db;

	/** Two instances claiming the same meeting at the same time split the attendees: nobody is mailed twice. */
	@Test
	void concurrentClaimsNeverShareAnAttendee() {
		Deliveries first = new Deliveries(this.db);
		Deliveries second = new Deliveries(this.db);
		MeetingCreated event = event(40);

		Flux<String> claims = first.registerPending(event, NO_BODY)
			.thenMany(Flux.merge(first.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)),
					second.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1))));

		claims.collectList().as(StepVerifier::create).assertNext((claimed) -> {
			assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
		}).verifyComplete();
		second.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1))
			.as(StepVerifier::create)
			.verifyComplete();
		// settle them, so that no claim is left to lapse into the poller's hands
		first.releaseClaims().then(second.releaseClaims()).block(Duration.ofSeconds(10));
	}

	/** Registering an event again keeps the recorded state: a SENT attendee is not claimed a second time. */
	@Test
	void redeliveredEventDoesNotReopenSettledAttendees() {
		Deliveries deliveries = new Deliveries(this.db);
		MeetingCreated event = event(2);

		deliveries.registerPending(event, NO_BODY)
			.thenMany(deliveries.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)))
			.collectList()
			.flatMapMany((claimed) -> deliveries.record(event.meetingId(),
					claimed.stream().map(SendOutcome::sent).toList(), HOURLY))
			.then(deliveries.registerPending(event, NO_BODY))
			.thenMany(deliveries.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)))
			.as(StepVerifier::create)
			.verifyComplete();
		assertThat(rows(event)).containsExactly("u-1 SENT 1 null null", "u-2 SENT 1 null null");
	}

	/**
	 * Outcomes recorded together each land on their own row: SENT, FAILED with its error, and a transient failure
	 * SCHEDULED after the back-off with the retry horizon set from its first failure.
	 */
	@Test
	void outcomesRecordedTogetherKeepTheirOwnState() {
		Deliveries deliveries = new Deliveries(this.db);
		MeetingCreated event = event(3);

		deliveries.registerPending(event, NO_BODY)
			.thenMany(deliveries.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)))
			.thenMany(deliveries.record(event.meetingId(), List.of(SendOutcome.sent("u-1"),
					SendOutcome.failed("u-2", "550 no such user"), SendOutcome.retry("u-3", "421 try later")),
					HOURLY))
			.map((recorded) -> recorded.userId() + " " + recorded.status())
			.collectList()
			.as(StepVerifier::create)
			.assertNext((recorded) -> assertThat(recorded).containsExactlyInAnyOrder("u-1 SENT", "u-2 FAILED",
					"u-3 SCHEDULED"))
			.verifyComplete();

		assertThat(rows(event)).containsExactly("u-1 SENT 1 null null", "u-2 FAILED 1 550 no such user null",
				"u-3 SCHEDULED 1 421 try later null");
		// half to one and a half times the first back-off, capped; the horizon 24 h after the first failure
		this.db.sql("""
				SELECT extract(epoch FROM next_attempt_at - now()) AS wait, extract(epoch FROM retry_until - now()) AS horizon
				FROM notifier.deliveries WHERE meeting_id = :meetingId AND user_id = 'u-3'
				""")
			.bind("meetingId", event.meetingId())
			.map((row, metadata) -> new double[] { row.get("wait", Double.class), row.get("horizon", Double.class) })
			.one()
			.as(StepVerifier::create)
			.assertNext((times) -> {
				assertThat(times[0]).isBetween(1_700.0, 5_400.0);
				assertThat(times[1]).isBetween(86_000.0, 86_400.0);
			})
			.verifyComplete();
	}

	/** A transient failure after the retry horizon is the end: FAILED, and listed for replay. */
	@Test
	void transientFailurePastTheHorizonFailsForGood() {
		Deliveries deliveries = new Deliveries(this.db);
		MeetingCreated event = event(1);
		deliveries.registerPending(event, NO_BODY)
			.thenMany(deliveries.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)))
			.then(this.db.sql("UPDATE notifier.deliveries SET retry_until = now() - interval '1 second' "
					+ "WHERE meeting_id = :meetingId").bind("meetingId", event.meetingId()).then())
			.thenMany(deliveries.record(event.meetingId(), List.of(SendOutcome.retry("u-1", "421 still away")),
					HOURLY))
			.map(RecordedDelivery::status)
			.as(StepVerifier::create)
			.expectNext("FAILED")
			.verifyComplete();
		deliveries.findFailed(1_000)
			.filter((failed) -> failed.meetingId().equals(event.meetingId()))
			.map(Deliveries.FailedInvitation::lastError)
			.as(StepVerifier::create)
			.expectNext("421 still away")
			.verifyComplete();
	}

	/** After a takeover, the old owner's late outcome decides nothing, except that a mail went out. */
	@Test
	void onlyTheOwnerRecordsAnythingButSent() {
		Deliveries old = new Deliveries(this.db);
		Deliveries other = new Deliveries(this.db);
		MeetingCreated event = event(2);
		old.registerPending(event, NO_BODY)
			.thenMany(old.claimUnsent(event.meetingId(), ids(event), Duration.ofMinutes(1)))
			.then(this.db.sql("UPDATE notifier.deliveries SET claimed_by = 'someone-else' WHERE meeting_id = :meetingId")
				.bind("meetingId", event.meetingId())
				.then())
			.thenMany(other.record(event.meetingId(),
					List.of(SendOutcome.sent("u-1"), SendOutcome.retry("u-2", "421")), HOURLY))
			.map(RecordedDelivery::userId)
			.as(StepVerifier::create)
			.expectNext("u-1")
			.verifyComplete();
		assertThat(rows(event)).containsExactly("u-1 SENT 1 null null", "u-2 SENDING 0 null someone-else");
		this.db.sql("UPDATE notifier.deliveries SET status = 'FAILED' WHERE meeting_id = :meetingId")
			.bind("meetingId", event.meetingId())
			.then()
			.block(Duration.ofSeconds(10));
	}

	/** Each failure of a message is counted, whatever its kind, until the count is forgotten. */
	@Test
	void messageFailuresAreCounted() {
		Deliveries deliveries = new Deliveries(this.db);
		String key = "m-" + UUID.randomUUID();
		deliveries.countFailure(key, "first")
			.then(deliveries.countFailure(key, "second"))
			.as(StepVerifier::create)
			.expectNext(2)
			.verifyComplete();
		deliveries.forgetFailures(key, Duration.ofDays(1))
			.then(deliveries.countFailure(key, "again"))
			.as(StepVerifier::create)
			.expectNext(1)
			.verifyComplete();
	}

	private static List<String> ids(MeetingCreated event) {
		return event.attendees().stream().map(MeetingCreated.Attendee::userId).toList();
	}

	private List<String> rows(MeetingCreated event) {
		return this.db.sql("""
				SELECT user_id, status, attempts, last_error, claimed_by
				FROM notifier.deliveries WHERE meeting_id = :meetingId ORDER BY user_id
				""")
			.bind("meetingId", event.meetingId())
			.map((row, metadata) -> row.get("user_id") + " " + row.get("status") + " " + row.get("attempts") + " "
					+ row.get("last_error") + " " + row.get("claimed_by"))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private static MeetingCreated event(int attendees) {
		UUID meetingId = UUID.randomUUID();
		List<MeetingCreated.Attendee> people = IntStream.rangeClosed(1, attendees)
			.mapToObj((i) -> new MeetingCreated.Attendee("u-" + i, "Person " + i, "p" + i + "@example.com"))
			.toList();
		return new MeetingCreated("e-" + meetingId, "MeetingCreated", OffsetDateTime.now(), meetingId, "t",
				OffsetDateTime.parse("2026-12-01T10:00:00Z"), OffsetDateTime.parse("2026-12-01T11:00:00Z"), null, "o",
				people);
	}

}
