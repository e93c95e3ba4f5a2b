package dev.seed.meetings.notifier.delivery;

/** An attendee's row as an attempt left it: {@code SENT}, {@code SCHEDULED} for another attempt, or {@code FAILED}. */
public record RecordedDelivery(String userId, String status, int attempts, String lastError) {

	public boolean sent() {
		return "SENT".equals(this.status);
	}

	public boolean failed() {
		return "FAILED".equals(this.status);
	}

}
