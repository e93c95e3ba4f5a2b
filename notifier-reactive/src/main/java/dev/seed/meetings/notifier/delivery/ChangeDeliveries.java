package dev.seed.meetings.notifier.delivery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The records of the mails about a meeting's changes: {@code notifier.attendee_sequences}, the newest sequence taken
 * per attendee, and {@code notifier.change_deliveries}, one row per (meeting, attendee, sequence). Together they let
 * the consumer mail each attendee each state once, and never an older state after a newer one.
 */
@Repository
public class ChangeDeliveries {

	private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

	// A cancel goes only to someone who was sent the meeting (or is about to be): nobody else has it to remove.
	private static final String REGISTER = """
			WITH target AS (
			    SELECT * FROM unnest(:userIds::text[], :emails::text[], :notices::text[]) AS t(user_id, email, notice)
			), advanced AS (
			    INSERT INTO notifier.attendee_sequences (meeting_id, user_id, sequence)
			    SELECT :meetingId, user_id, :sequence FROM target
			    ON CONFLICT (meeting_id, user_id) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = now()
			    WHERE attendee_sequences.sequence < EXCLUDED.sequence
			    RETURNING user_id
			)
			INSERT INTO notifier.change_deliveries (meeting_id, user_id, sequence, notice, email, event_id, status)
			SELECT :meetingId, t.user_id, :sequence, t.notice, t.email, :eventId, 'PENDING'
			FROM target t JOIN advanced a ON a.user_id = t.user_id
			WHERE t.notice NOT IN ('REMOVAL', 'CANCELLATION')
			   OR EXISTS (SELECT 1 FROM notifier.deliveries d WHERE d.meeting_id = :meetingId AND d.user_id = t.user_id
			              AND d.status IN ('SENDING', 'SENT', 'FAILED'))
			   OR EXISTS (SELECT 1 FROM notifier.change_deliveries c WHERE c.meeting_id = :meetingId
			              AND c.user_id = t.user_id AND c.notice NOT IN ('REMOVAL', 'CANCELLATION')
			              AND c.status IN ('SENDING', 'SENT', 'FAILED'))
			ON CONFLICT (meeting_id, user_id, sequence) DO NOTHING
			""";

	private final DatabaseClient db;

	private final String instanceId = UUID.randomUUID().toString();

	ChangeDeliveries(DatabaseClient db) {
		this.db = db;
	}

	/** One attendee a change concerns and what to tell them. */
	public record Target(String userId, String email, String notice) {
	}

	/** Whether the invitation of the meeting (sequence 0) is being mailed right now to somebody. */
	public Mono<Boolean> invitationInFlight(UUID meetingId) {
		return this.db.sql("""
				SELECT count(*) AS sending FROM notifier.deliveries
				WHERE meeting_id = :meetingId AND status = 'SENDING' AND claimed_until >= now()
				""")
			.bind("meetingId", meetingId)
			.map((row, metadata) -> row.get("sending", Long.class))
			.one()
			.map((sending) -> sending > 0)
			.timeout(DB_TIMEOUT);
	}

	/**
	 * The invitation not mailed yet to these attendees is not mailed at all, now that a newer state exists: a
	 * {@code MeetingCreated} that comes later, or again, finds them settled.
	 */
	public Mono<Void> supersedeInvitations(UUID meetingId, String eventId, List<Target> attendees) {
		return this.db.sql("""
				INSERT INTO notifier.deliveries (meeting_id, user_id, email, event_id, status)
				SELECT :meetingId, a.user_id, a.email, :eventId, 'SUPERSEDED'
				FROM unnest(:userIds::text[], :emails::text[]) AS a(user_id, email)
				ON CONFLICT (meeting_id, user_id) DO UPDATE
				SET status = 'SUPERSEDED', claimed_by = NULL, claimed_until = NULL, next_attempt_at = NULL,
				    updated_at = now()
				WHERE deliveries.status IN ('PENDING', 'SCHEDULED')
				   OR (deliveries.status = 'SENDING' AND deliveries.claimed_until < now())
				""")
			.bind("meetingId", meetingId)
			.bind("eventId", eventId)
			.bind("userIds", attendees.stream().map(Target::userId).toArray(String[]::new))
			.bind("emails", attendees.stream().map(Target::email).toArray(String[]::new))
			.then()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Takes {@code sequence} as the newest state of each target whose recorded sequence is older, and gives each of
	 * them a PENDING row; a target already at this sequence or a newer one gets nothing (a redelivery, or an event
	 * that arrived late). Rows of older sequences not mailed yet are superseded.
	 */
	public Mono<Void> register(UUID meetingId, String eventId, int sequence, List<Target> targets) {
		Mono<Void> register = this.db.sql(REGISTER)
			.bind("meetingId", meetingId)
			.bind("eventId", eventId)
			.bind("sequence", sequence)
			.bind("userIds", targets.stream().map(Target::userId).toArray(String[]::new))
			.bind("emails", targets.stream().map(Target::email).toArray(String[]::new))
			.bind("notices", targets.stream().map(Target::notice).toArray(String[]::new))
			.then();
		Mono<Void> supersedeOlder = this.db.sql("""
				UPDATE notifier.change_deliveries c SET status = 'SUPERSEDED', claimed_by = NULL, claimed_until = NULL,
				    updated_at = now()
				FROM notifier.attendee_sequences s
				WHERE c.meeting_id = :meetingId AND s.meeting_id = c.meeting_id AND s.user_id = c.user_id
				  AND c.sequence < s.sequence
				  AND (c.status = 'PENDING' OR (c.status = 'SENDING' AND c.claimed_until < now()))
				""")
			.bind("meetingId", meetingId)
			.then();
		return register.then(supersedeOlder).timeout(DB_TIMEOUT);
	}

	/** Takes this sequence's rows that nobody is mailing, while it is still each attendee's newest. */
	public Flux<Target> claimUnsent(UUID meetingId, int sequence, Duration ttl) {
		return this.db.sql("""
				UPDATE notifier.change_deliveries c
				SET status = 'SENDING', claimed_by = :instance,
				    claimed_until = now() + :ttlMillis * interval '1 millisecond', updated_at = now()
				WHERE c.meeting_id = :meetingId AND c.sequence = :sequence
				  AND (c.status = 'PENDING' OR (c.status = 'SENDING' AND c.claimed_until < now()))
				  AND c.sequence = (SELECT s.sequence FROM notifier.attendee_sequences s
				                    WHERE s.meeting_id = c.meeting_id AND s.user_id = c.user_id)
				RETURNING user_id, email, notice
				""")
			.bind("meetingId", meetingId)
			.bind("sequence", sequence)
			.bind("instance", this.instanceId)
			.bind("ttlMillis", ttl.toMillis())
			.map((row, metadata) -> new Target(row.get("user_id", String.class), row.get("email", String.class),
					row.get("notice", String.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Records the outcomes of one wave of sends of this sequence in one statement: SENT, FAILED, or for a transient
	 * failure (RETRY) PENDING again, for the next delivery of the message, until {@code giveUpAfter} from the row's
	 * registration, then FAILED. Gives each row as it was left.
	 */
	public Flux<RecordedDelivery> record(UUID meetingId, int sequence, List<SendOutcome> outcomes,
			Duration giveUpAfter) {
		if (outcomes.isEmpty()) {
			return Flux.empty();
		}
		return this.db.sql("""
				UPDATE notifier.change_deliveries AS d
				SET status = CASE
				        WHEN o.result <> 'RETRY' THEN o.result
				        WHEN d.created_at + :giveUpMillis * interval '1 millisecond' <= now() THEN 'FAILED'
				        ELSE 'PENDING' END,
				    attempts = d.attempts + 1, last_error = o.last_error,
				    claimed_by = NULL, claimed_until = NULL, updated_at = now(),
				    sent_at = CASE WHEN o.result = 'SENT' THEN now() ELSE d.sent_at END
				FROM unnest(:userIds::text[], :results::text[], :errors::text[]) AS o(user_id, result, last_error)
				WHERE d.meeting_id = :meetingId AND d.sequence = :sequence AND d.user_id = o.user_id
				  AND d.status = 'SENDING'
				RETURNING d.user_id, d.status, d.attempts, d.last_error
				""")
			.bind("meetingId", meetingId)
			.bind("sequence", sequence)
			.bind("giveUpMillis", giveUpAfter.toMillis())
			.bind("userIds", outcomes.stream().map(SendOutcome::userId).toArray(String[]::new))
			.bind("results", outcomes.stream().map((outcome) -> outcome.result().name()).toArray(String[]::new))
			.bind("errors", outcomes.stream().map(SendOutcome::lastError).toArray(String[]::new))
			.map((row, metadata) -> new RecordedDelivery(row.get("user_id", String.class),
					row.get("status", String.class), row.get("attempts", Integer.class),
					row.get("last_error", String.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	/** Whether no row of this sequence is still to be mailed, i.e. its event may be acknowledged. */
	public Mono<Boolean> allSettled(UUID meetingId, int sequence) {
		return this.db.sql("""
				SELECT count(*) AS open FROM notifier.change_deliveries
				WHERE meeting_id = :meetingId AND sequence = :sequence AND status IN ('PENDING', 'SENDING')
				""")
			.bind("meetingId", meetingId)
			.bind("sequence", sequence)
			.map((row, metadata) -> row.get("open", Long.class))
			.one()
			.map((open) -> open == 0)
			.timeout(DB_TIMEOUT);
	}

	/** Gives back what this instance claimed but did not finish, so that a redelivery can mail it at once. */
	public Mono<Long> releaseClaims() {
		return this.db.sql("""
				UPDATE notifier.change_deliveries
				SET status = 'PENDING', claimed_by = NULL, claimed_until = NULL, updated_at = now()
				WHERE status = 'SENDING' AND claimed_by = :instance
				""")
			.bind("instance", this.instanceId)
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	Flux<Deliveries.Invitation> findByMeeting(UUID meetingId) {
		return this.db.sql("""
				SELECT user_id, email, sequence, notice, status, attempts, last_error, updated_at
				FROM notifier.change_deliveries WHERE meeting_id = :meetingId ORDER BY user_id, sequence
				""")
			.bind("meetingId", meetingId)
			.map((row, metadata) -> new Deliveries.Invitation(row.get("user_id", String.class),
					row.get("email", String.class), row.get("sequence", Integer.class), row.get("notice", String.class),
					Deliveries.visible(row.get("status", String.class)), row.get("attempts", Integer.class),
					row.get("last_error", String.class), null, row.get("updated_at", OffsetDateTime.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

}
