package dev.seed.meetings.notifier.delivery;

/** How mailing one attendee ended: {@code SENT}, or {@code FAILED} with the last error. */
public record SendOutcome(String userId, DeliveryStatus status, int attempts, String lastError) {

	public static SendOutcome sent(String userId, int attempts) {
		return new SendOutcome(userId, DeliveryStatus.SENT, attempts, null);
	}

	public static SendOutcome failed(String userId, int attempts, String lastError) {
		return new SendOutcome(userId, DeliveryStatus.FAILED, attempts, lastError);
	}

}
