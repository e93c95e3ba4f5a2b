package dev.seed.meetings.notifier.delivery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.seed.meetings.notifier.events.MeetingCreated;

/**
 * The delivery records in {@code notifier.deliveries}. They make the consumer idempotent (a redelivered event finds
 * its attendees already SENT) and safe with several instances (an attendee is claimed before it is mailed).
 */
@Repository
public class Deliveries {

	private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

	private final DatabaseClient db;

	private final String instanceId = UUID.randomUUID().toString();

	Deliveries(DatabaseClient db) {
		this.db = db;
	}

	/** One PENDING row per attendee not seen before; rows that exist keep their state. */
	public Mono<Void> registerPending(MeetingCreated event) {
		String[] userIds = event.attendees().stream().map((a) -> a.userId().strip()).toArray(String[]::new);
		String[] emails = event.attendees().stream().map((a) -> a.email().strip()).toArray(String[]::new);
		return this.db.sql("""
				INSERT INTO notifier.deliveries (meeting_id, user_id, email, event_id, status)
				SELECT :meetingId, a.user_id, a.email, :eventId, 'PENDING'
				FROM unnest(:userIds::text[], :emails::text[]) AS a(user_id, email)
				ON CONFLICT (meeting_id, user_id) DO NOTHING
				""")
			.bind("meetingId", event.meetingId())
			.bind("eventId", event.eventId())
			.bind("userIds", userIds)
			.bind("emails", emails)
			.then()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Takes the attendees of the meeting that nobody is mailing and that are not settled yet, for {@code ttl}.
	 * Row locks make two instances racing here split the attendees, never share one.
	 */
	public Flux<String> claimUnsent(UUID meetingId, Duration ttl) {
		return this.db.sql("""
				UPDATE notifier.deliveries
				SET status = 'SENDING', claimed_by = :instance,
				    claimed_until = now() + :ttlMillis * interval '1 millisecond', updated_at = now()
				WHERE meeting_id = :meetingId
				  AND (status = 'PENDING' OR (status = 'SENDING' AND claimed_until < now()))
				RETURNING user_id
				""")
			.bind("meetingId", meetingId)
			.bind("instance", this.instanceId)
			.bind("ttlMillis", ttl.toMillis())
			.map((row, metadata) -> row.get("user_id", String.class))
			.all()
			.timeout(DB_TIMEOUT);
	}

	public Mono<Void> record(UUID meetingId, SendOutcome outcome) {
		return record(meetingId, List.of(outcome));
	}

	/** Records several outcomes of one meeting in one statement: one round trip for a whole wave of sends. */
	public Mono<Void> record(UUID meetingId, List<SendOutcome> outcomes) {
		if (outcomes.isEmpty()) {
			return Mono.empty();
		}
		String[] userIds = new String[outcomes.size()];
		String[] statuses = new String[outcomes.size()];
		Integer[] attempts = new Integer[outcomes.size()];
		String[] errors = new String[outcomes.size()];
		for (int i = 0; i < outcomes.size(); i++) {
			SendOutcome outcome = outcomes.get(i);
			userIds[i] = outcome.userId();
			statuses[i] = outcome.status().name();
			attempts[i] = outcome.attempts();
			errors[i] = outcome.lastError();
		}
		return this.db.sql("""
				UPDATE notifier.deliveries AS d
				SET status = o.status, attempts = d.attempts + o.attempts, last_error = o.last_error,
				    claimed_by = NULL, claimed_until = NULL, updated_at = now(),
				    sent_at = CASE WHEN o.status = 'SENT' THEN now() ELSE d.sent_at END
				FROM unnest(:userIds::text[], :statuses::text[], :attempts::int[], :errors::text[])
				     AS o(user_id, status, attempts, last_error)
				WHERE d.meeting_id = :meetingId AND d.user_id = o.user_id
				""")
			.bind("meetingId", meetingId)
			.bind("userIds", userIds)
			.bind("statuses", statuses)
			.bind("attempts", attempts)
			.bind("errors", errors)
			.then()
			.timeout(DB_TIMEOUT);
	}

	/** Whether every attendee of the meeting is SENT or FAILED, i.e. the event may be acknowledged. */
	public Mono<Boolean> allSettled(UUID meetingId) {
		return this.db.sql("""
				SELECT count(*) AS open FROM notifier.deliveries
				WHERE meeting_id = :meetingId AND status IN ('PENDING', 'SENDING')
				""")
			.bind("meetingId", meetingId)
			.map((row, metadata) -> row.get("open", Long.class))
			.one()
			.map((open) -> open == 0)
			.timeout(DB_TIMEOUT);
	}

	/** Gives back what this instance claimed but did not finish, so that a redelivery can mail it at once. */
	public Mono<Long> releaseClaims() {
		return this.db.sql("""
				UPDATE notifier.deliveries
				SET status = 'PENDING', claimed_by = NULL, claimed_until = NULL, updated_at = now()
				WHERE status = 'SENDING' AND claimed_by = :instance
				""")
			.bind("instance", this.instanceId)
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	Flux<Invitation> findByMeeting(UUID meetingId) {
		return this.db.sql("""
				SELECT user_id, email, status, attempts, last_error, updated_at
				FROM notifier.deliveries WHERE meeting_id = :meetingId ORDER BY user_id
				""")
			.bind("meetingId", meetingId)
			.map((row, metadata) -> new Invitation(row.get("user_id", String.class), row.get("email", String.class),
					0, "INVITATION", visible(row.get("status", String.class)), row.get("attempts", Integer.class),
					row.get("last_error", String.class), row.get("updated_at", OffsetDateTime.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	static DeliveryStatus visible(String status) {
		return "SENDING".equals(status) ? DeliveryStatus.PENDING : DeliveryStatus.valueOf(status);
	}

	/**
	 * One mail to one attendee as the API shows it: {@code sequence} 0 and {@code notice} INVITATION for the
	 * invitation at booking, then the meeting's version and what the mail said (UPDATE, MOVE, INVITATION, REMOVAL,
	 * CANCELLATION) for each change.
	 */
	record Invitation(String userId, String email, int sequence, String notice, DeliveryStatus status, int attempts,
			String lastError, OffsetDateTime updatedAt) {
	}

}
