package dev.seed.meetings.notifier.delivery;

/**
 * How one SMTP attempt for one attendee ended: {@code SENT}; {@code RETRY} after a transient failure (the row is
 * scheduled again, or FAILED once past the retry horizon); {@code FAILED} for good, with the error.
 */
public record SendOutcome(String userId, Result result, String lastError) {

	public enum Result {

		SENT, RETRY, FAILED

	}

	public static SendOutcome sent(String userId) {
		return new SendOutcome(userId, Result.SENT, null);
	}

	public static SendOutcome retry(String userId, String lastError) {
		return new SendOutcome(userId, Result.RETRY, lastError);
	}

	public static SendOutcome failed(String userId, String lastError) {
		return new SendOutcome(userId, Result.FAILED, lastError);
	}

}
