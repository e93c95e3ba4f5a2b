package dev.seed.meetings.meeting.booking;

import java.util.UUID;

import io.r2dbc.spi.R2dbcException;
import reactor.core.publisher.Mono;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * {@code meeting.idempotency_keys}: which meeting a caller's key booked.
 */
@Component
class IdempotencyKeys {

	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private final DatabaseClient db;

	IdempotencyKeys(DatabaseClient db) {
		this.db = db;
	}

	/** The meeting booked earlier with this key and this body; empty if none; an error if the body differs. */
	Mono<UUID> bookedBefore(IdempotencyKey key) {
		return this.db.sql("SELECT request_hash, meeting_id FROM meeting.idempotency_keys WHERE caller = :caller AND key = :key")
			.bind("caller", key.caller())
			.bind("key", key.key())
			.map((row) -> new Object[] { row.get("request_hash", String.class), row.get("meeting_id", UUID.class) })
			.one()
			.flatMap((row) -> key.requestHash().equals(row[0]) ? Mono.just((UUID) row[1])
					: Mono.error(new IdempotencyException("This Idempotency-Key was used with a different request", false)));
	}

	/**
	 * Records the key in the current transaction. A concurrent request with the same key waits here until the first
	 * one commits (unique key), then learns it lost; if the first takes too long it is told the request is in flight.
	 * @return true if this request owns the key
	 */
	Mono<Boolean> claim(IdempotencyKey key, UUID meetingId) {
		return this.db.sql("SET LOCAL lock_timeout = '5s'")
			.then()
			.then(this.db
				.sql("INSERT INTO meeting.idempotency_keys (caller, key, request_hash, meeting_id, status) "
						+ "VALUES (:caller, :key, :hash, :meetingId, 201) ON CONFLICT (caller, key) DO NOTHING")
				.bind("caller", key.caller())
				.bind("key", key.key())
				.bind("hash", key.requestHash())
				.bind("meetingId", meetingId)
				.fetch()
				.rowsUpdated())
			.map((rows) -> rows == 1)
			.onErrorMap(IdempotencyKeys::lockTimedOut,
					(ex) -> new IdempotencyException("A request with this Idempotency-Key is still in flight", true));
	}

	/**
	 * The lock_timeout above ran out waiting for the other request's row: PostgreSQL's lock_not_available, which
	 * reaches here as a resource failure, not as a locking failure.
	 */
	private static boolean lockTimedOut(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PessimisticLockingFailureException
					|| (cause instanceof R2dbcException r2dbc && LOCK_NOT_AVAILABLE.equals(r2dbc.getSqlState()))) {
				return true;
			}
		}
		return false;
	}

}
