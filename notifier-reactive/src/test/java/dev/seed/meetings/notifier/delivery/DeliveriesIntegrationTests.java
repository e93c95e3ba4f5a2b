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

/** The delivery records on the real PostgreSQL, in the shared test context (whose consumer sees none of these). */
class DeliveriesIntegrationTests extends NotifierIntegrationTest {

	@Autowired
	DatabaseClient db;

	/** Two instances claiming the same meeting at the same time split the attendees: nobody is mailed twice. */
	@Test
	void concurrentClaimsNeverShareAnAttendee() {
		Deliveries first = new Deliveries(this.db);
		Deliveries second = new Deliveries(this.db);
		MeetingCreated event = event(40);

		Flux<String> claims = first.registerPending(event)
			.thenMany(Flux.merge(first.claimUnsent(event.meetingId(), Duration.ofMinutes(1)),
					second.claimUnsent(event.meetingId(), Duration.ofMinutes(1))));

		claims.collectList().as(StepVerifier::create).assertNext((claimed) -> {
			assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
		}).verifyComplete();
		second.claimUnsent(event.meetingId(), Duration.ofMinutes(1)).as(StepVerifier::create).verifyComplete();
	}

	/** Registering an event again keeps the recorded state: a SENT attendee is not claimed a second time. */
	@Test
	void redeliveredEventDoesNotReopenSettledAttendees() {
		Deliveries deliveries = new Deliveries(this.db);
		MeetingCreated event = event(2);

		deliveries.registerPending(event)
			.thenMany(deliveries.claimUnsent(event.meetingId(), Duration.ofMinutes(1)))
			.concatMap((userId) -> deliveries.record(event.meetingId(), SendOutcome.sent(userId, 1)))
			.then(deliveries.registerPending(event))
			.thenMany(deliveries.claimUnsent(event.meetingId(), Duration.ofMinutes(1)))
			.as(StepVerifier::create)
			.verifyComplete();
		deliveries.allSettled(event.meetingId()).as(StepVerifier::create).expectNext(true).verifyComplete();
	}

	/** Several outcomes recorded in one statement each land on their own row, with their status, attempts and error. */
	@Test
	void outcomesRecordedTogetherKeepTheirOwnState() {
		Deliveries deliveries = new Deliveries(this.db);
		MeetingCreated event = event(3);

		deliveries.registerPending(event)
			.thenMany(deliveries.claimUnsent(event.meetingId(), Duration.ofMinutes(1)))
			.then(deliveries.record(event.meetingId(), List.of(SendOutcome.sent("u-1", 1),
					SendOutcome.failed("u-2", 4, "550 no such user"), SendOutcome.sent("u-3", 2))))
			.as(StepVerifier::create)
			.verifyComplete();

		this.db.sql("""
				SELECT user_id, status, attempts, last_error, claimed_by, sent_at IS NOT NULL AS sent
				FROM notifier.deliveries WHERE meeting_id = :meetingId ORDER BY user_id
				""")
			.bind("meetingId", event.meetingId())
			.map((row, metadata) -> row.get("user_id") + " " + row.get("status") + " " + row.get("attempts") + " "
					+ row.get("last_error") + " " + row.get("claimed_by") + " " + row.get("sent"))
			.all()
			.collectList()
			.as(StepVerifier::create)
			.assertNext((rows) -> assertThat(rows).containsExactly("u-1 SENT 1 null null true",
					"u-2 FAILED 4 550 no such user null false", "u-3 SENT 2 null null true"))
			.verifyComplete();
		deliveries.allSettled(event.meetingId()).as(StepVerifier::create).expectNext(true).verifyComplete();
	}

	/** Claims released on shutdown are claimable again at once; claims of a live instance are not. */
	@Test
	void releasedClaimsCanBeTakenOverAtOnce() {
		Deliveries stopping = new Deliveries(this.db);
		Deliveries other = new Deliveries(this.db);
		MeetingCreated event = event(3);

		stopping.registerPending(event)
			.thenMany(stopping.claimUnsent(event.meetingId(), Duration.ofMinutes(10)))
			.then()
			.thenMany(other.claimUnsent(event.meetingId(), Duration.ofMinutes(10)))
			.as(StepVerifier::create)
			.verifyComplete();
		stopping.allSettled(event.meetingId()).as(StepVerifier::create).expectNext(false).verifyComplete();

		stopping.releaseClaims()
			.thenMany(other.claimUnsent(event.meetingId(), Duration.ofMinutes(10)))
			.count()
			.as(StepVerifier::create)
			.expectNext(3L)
			.verifyComplete();
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
