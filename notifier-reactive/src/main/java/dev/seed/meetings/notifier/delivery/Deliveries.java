package dev.seed.meetings.notifier.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
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

	public Deliveries(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Keeps the event (the body as received) and one PENDING row per attendee not seen before, in one statement;
	 * rows that exist keep their state.
	 */
	public Mono<Void> registerPending(MeetingCreated event, byte[] body) {
		String[] userIds = event.attendees().stream().map((a) -> a.userId().strip()).toArray(String[]::new);
		String[] emails = event.attendees().stream().map((a) -> a.email().strip()).toArray(String[]::new);
		return this.db.sql("""
				WITH kept AS (
				    INSERT INTO notifier.events (event_id, meeting_id, body) VALUES (:eventId, :meetingId, :body)
				    ON CONFLICT (event_id) DO NOTHING
				)
				INSERT INTO notifier.deliveries (meeting_id, user_id, email, event_id, status)
				SELECT :meetingId, a.user_id, a.email, :eventId, 'PENDING'
				FROM unnest(:userIds::text[], :emails::text[]) AS a(user_id, email)
				ON CONFLICT (meeting_id, user_id) DO NOTHING
				""")
			.bind("meetingId", event.meetingId())
			.bind("eventId", event.eventId())
			.bind("body", ByteBuffer.wrap(body))
			.bind("userIds", userIds)
			.bind("emails", emails)
			.then()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Takes, for {@code ttl}, the named attendees of the meeting that nobody is mailing and that are not settled or
	 * scheduled. The row says SENDING before any SMTP call: a takeover after a crash knows the mail may be out. Row
	 * locks make two instances racing here split the attendees, never share one.
	 */
	public Flux<String> claimUnsent(UUID meetingId, Collection<String> userIds, Duration ttl) {
		return this.db.sql("""
				UPDATE notifier.deliveries
				SET status = 'SENDING', claimed_by = :instance,
				    claimed_until = now() + :ttlMillis * interval '1 millisecond', updated_at = now()
				WHERE meeting_id = :meetingId AND user_id = ANY(:userIds::text[]) AND status = 'PENDING'
				RETURNING user_id
				""")
			.bind("meetingId", meetingId)
			.bind("userIds", userIds.toArray(String[]::new))
			.bind("instance", this.instanceId)
			.bind("ttlMillis", ttl.toMillis())
			.map((row, metadata) -> row.get("user_id", String.class))
			.all()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Claims up to {@code limit} attendees that are due: SCHEDULED for now or earlier, SENDING under a claim that
	 * lapsed (its owner stopped renewing it: crashed or cut off), or PENDING for longer than a claim lasts.
	 */
	public Flux<DueDelivery> claimDue(int limit, Duration ttl) {
		return this.db.sql("""
				WITH due AS (
				    SELECT meeting_id, user_id, status AS previous FROM notifier.deliveries
				    WHERE (status = 'SCHEDULED' AND next_attempt_at <= now())
				       OR (status = 'SENDING' AND claimed_until < now())
				       OR (status = 'PENDING' AND updated_at < now() - :ttlMillis * interval '1 millisecond')
				    ORDER BY coalesce(next_attempt_at, claimed_until, updated_at)
				    LIMIT :limit
				    FOR UPDATE SKIP LOCKED
				)
				UPDATE notifier.deliveries AS d
				SET status = 'SENDING', claimed_by = :instance,
				    claimed_until = now() + :ttlMillis * interval '1 millisecond', updated_at = now()
				FROM due
				WHERE d.meeting_id = due.meeting_id AND d.user_id = due.user_id
				RETURNING d.meeting_id, d.user_id, d.event_id, due.previous,
				          (SELECT e.body FROM notifier.events e WHERE e.event_id = d.event_id) AS body
				""")
			.bind("limit", limit)
			.bind("instance", this.instanceId)
			.bind("ttlMillis", ttl.toMillis())
			.map((row, metadata) -> new DueDelivery(row.get("meeting_id", UUID.class),
					row.get("user_id", String.class), row.get("event_id", String.class), bytes(row.get("body",
							ByteBuffer.class)), "SENDING".equals(row.get("previous", String.class))))
			.all()
			.timeout(DB_TIMEOUT);
	}

	private static byte[] bytes(ByteBuffer buffer) {
		if (buffer == null) {
			return null;
		}
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	/**
	 * Extends this instance's claims on the given attendees, those it is mailing right now: while it does, nobody
	 * takes them over. A claim it holds but no longer works on (its pipeline failed) is left to lapse.
	 */
	public Mono<Long> renewClaims(Collection<Claim> claims, Duration ttl) {
		if (claims.isEmpty()) {
			return Mono.just(0L);
		}
		return this.db.sql("""
				UPDATE notifier.deliveries AS d
				SET claimed_until = now() + :ttlMillis * interval '1 millisecond'
				FROM unnest(:meetingIds::uuid[], :userIds::text[]) AS c(meeting_id, user_id)
				WHERE d.meeting_id = c.meeting_id AND d.user_id = c.user_id
				  AND d.status = 'SENDING' AND d.claimed_by = :instance
				""")
			.bind("meetingIds", claims.stream().map(Claim::meetingId).toArray(UUID[]::new))
			.bind("userIds", claims.stream().map(Claim::userId).toArray(String[]::new))
			.bind("instance", this.instanceId)
			.bind("ttlMillis", ttl.toMillis())
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	/** One attendee of one meeting, as claimed. */
	public record Claim(UUID meetingId, String userId) {
	}

	/**
	 * Records the outcomes of one meeting's attempts in one statement and gives back the rows as they end up. A
	 * transient failure schedules the row after an exponential back-off with jitter, or fails it once the retry
	 * horizon (set at its first transient failure) has passed. A SENT outcome is always recorded; another one only
	 * while this instance still holds the claim (after a takeover, the new owner decides).
	 */
	public Flux<RecordedDelivery> record(UUID meetingId, List<SendOutcome> outcomes, RetrySchedule schedule) {
		if (outcomes.isEmpty()) {
			return Flux.empty();
		}
		String[] userIds = new String[outcomes.size()];
		String[] results = new String[outcomes.size()];
		String[] errors = new String[outcomes.size()];
		for (int i = 0; i < outcomes.size(); i++) {
			SendOutcome outcome = outcomes.get(i);
			userIds[i] = outcome.userId();
			results[i] = outcome.result().name();
			errors[i] = outcome.lastError();
		}
		return this.db.sql("""
				UPDATE notifier.deliveries AS d
				SET status = CASE
				        WHEN o.result <> 'RETRY' THEN o.result
				        WHEN d.retry_until IS NOT NULL AND d.retry_until <= now() THEN 'FAILED'
				        ELSE 'SCHEDULED' END,
				    next_attempt_at = CASE WHEN o.result = 'RETRY' THEN now() + interval '1 millisecond'
				        * least(:maxMillis, :firstMillis * power(2, least(d.attempts, 40)) * (0.5 + random()))
				        END,
				    retry_until = CASE WHEN o.result = 'RETRY'
				        THEN coalesce(d.retry_until, now() + :giveUpMillis * interval '1 millisecond')
				        ELSE d.retry_until END,
				    attempts = d.attempts + 1, last_error = o.last_error,
				    claimed_by = NULL, claimed_until = NULL, updated_at = now(),
				    sent_at = CASE WHEN o.result = 'SENT' THEN now() ELSE d.sent_at END
				FROM unnest(:userIds::text[], :results::text[], :errors::text[]) AS o(user_id, result, last_error)
				WHERE d.meeting_id = :meetingId AND d.user_id = o.user_id AND d.status <> 'SENT'
				  AND (o.result = 'SENT' OR d.claimed_by = :instance)
				RETURNING d.user_id, d.status, d.attempts, d.last_error
				""")
			.bind("meetingId", meetingId)
			.bind("userIds", userIds)
			.bind("results", results)
			.bind("errors", errors)
			.bind("instance", this.instanceId)
			.bind("firstMillis", schedule.firstBackoff().toMillis())
			.bind("maxMillis", schedule.maxBackoff().toMillis())
			.bind("giveUpMillis", schedule.giveUpAfter().toMillis())
			.map((row, metadata) -> new RecordedDelivery(row.get("user_id", String.class),
					row.get("status", String.class), row.get("attempts", Integer.class),
					row.get("last_error", String.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Gives back what this instance claimed but did not finish, due at once, so that any instance's poller (this
	 * one's successor included) mails it without waiting for the claim to lapse.
	 */
	public Mono<Long> releaseClaims() {
		return this.db.sql("""
				UPDATE notifier.deliveries
				SET status = 'SCHEDULED', next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL,
				    updated_at = now()
				WHERE status = 'SENDING' AND claimed_by = :instance
				""")
			.bind("instance", this.instanceId)
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Counts one more failed processing of a message (key: its message id) and gives back how many there were.
	 */
	public Mono<Integer> countFailure(String messageKey, String error) {
		return this.db.sql("""
				INSERT INTO notifier.message_failures (message_id, failures, last_error) VALUES (:key, 1, :error)
				ON CONFLICT (message_id) DO UPDATE
				SET failures = notifier.message_failures.failures + 1, last_error = excluded.last_error,
				    updated_at = now()
				RETURNING failures
				""")
			.bind("key", messageKey)
			.bind("error", error)
			.map((row, metadata) -> row.get("failures", Integer.class))
			.one()
			.timeout(DB_TIMEOUT);
	}

	/** Forgets the failures of a parked message, and those older than {@code age} of messages that went through. */
	public Mono<Long> forgetFailures(String messageKey, Duration age) {
		return this.db.sql("""
				DELETE FROM notifier.message_failures
				WHERE message_id = :key OR updated_at < now() - :ageMillis * interval '1 millisecond'
				""")
			.bind("key", messageKey)
			.bind("ageMillis", age.toMillis())
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	/** The invitations that failed for good, newest first. */
	Flux<FailedInvitation> findFailed(int limit) {
		return this.db.sql("""
				SELECT meeting_id, user_id, email, attempts, last_error, updated_at
				FROM notifier.deliveries WHERE status = 'FAILED'
				ORDER BY updated_at DESC LIMIT :limit
				""")
			.bind("limit", limit)
			.map((row, metadata) -> new FailedInvitation(row.get("meeting_id", UUID.class),
					row.get("user_id", String.class), row.get("email", String.class),
					row.get("attempts", Integer.class), row.get("last_error", String.class),
					row.get("updated_at", OffsetDateTime.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	/**
	 * Schedules the failed invitations (of one meeting, or all) for an attempt now, with a fresh retry horizon; only
	 * those whose event is kept, which the poller can render. Gives back how many.
	 */
	Mono<Long> replayFailed(UUID meetingId) {
		DatabaseClient.GenericExecuteSpec replay = this.db.sql("""
				UPDATE notifier.deliveries AS d
				SET status = 'SCHEDULED', next_attempt_at = now(), retry_until = NULL, updated_at = now()
				WHERE d.status = 'FAILED' AND (:meetingId::uuid IS NULL OR d.meeting_id = :meetingId::uuid)
				  AND EXISTS (SELECT 1 FROM notifier.events e WHERE e.event_id = d.event_id)
				""");
		return ((meetingId != null) ? replay.bind("meetingId", meetingId) : replay.bindNull("meetingId", UUID.class))
			.fetch()
			.rowsUpdated()
			.timeout(DB_TIMEOUT);
	}

	/** One invitation that failed for good, as operators see it. */
	record FailedInvitation(UUID meetingId, String userId, String email, int attempts, String lastError,
			OffsetDateTime failedAt) {
	}

	Flux<Invitation> findByMeeting(UUID meetingId) {
		return this.db.sql("""
				SELECT user_id, email, status, attempts, last_error, next_attempt_at, updated_at
				FROM notifier.deliveries WHERE meeting_id = :meetingId ORDER BY user_id
				""")
			.bind("meetingId", meetingId)
			.map((row, metadata) -> new Invitation(row.get("user_id", String.class), row.get("email", String.class),
					0, "INVITATION", visible(row.get("status", String.class)), row.get("attempts", Integer.class),
					row.get("last_error", String.class), row.get("next_attempt_at", OffsetDateTime.class),
					row.get("updated_at", OffsetDateTime.class)))
			.all()
			.timeout(DB_TIMEOUT);
	}

	static DeliveryStatus visible(String status) {
		return switch (status) {
			case "SENDING", "SCHEDULED" -> DeliveryStatus.PENDING;
			default -> DeliveryStatus.valueOf(status);
		};
	}

	/**
	 * One mail to one attendee as the API shows it: {@code sequence} 0 and {@code notice} INVITATION for the
	 * invitation at booking, then the meeting's version and what the mail said (UPDATE, MOVE, INVITATION, REMOVAL,
	 * CANCELLATION) for each change; {@code nextAttemptAt} when an invitation waits for another attempt.
	 */
	record Invitation(String userId, String email, int sequence, String notice, DeliveryStatus status, int attempts,
			String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime updatedAt) {
	}

}
