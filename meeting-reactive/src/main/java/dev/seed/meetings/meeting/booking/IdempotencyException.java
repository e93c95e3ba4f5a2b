package dev.seed.meetings.meeting.booking;

/**
 * An {@code Idempotency-Key} that cannot be honoured: reused with another body, or its first request still running.
 */
public class IdempotencyException extends RuntimeException {

	private final boolean inFlight;

	IdempotencyException(String message, boolean inFlight) {
		super(message);
		this.inFlight = inFlight;
	}

	/** True when the first request with this key has not finished yet (409), false for a different body (422). */
	public boolean inFlight() {
		return this.inFlight;
	}

}
