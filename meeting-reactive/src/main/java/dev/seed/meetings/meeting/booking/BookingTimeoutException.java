package dev.seed.meetings.meeting.booking;

import java.time.Duration;

/**
 * A booking that did not finish within {@code meeting.booking.timeout}. Whatever it was waiting on was cancelled; a
 * transaction that had not committed is rolled back.
 */
public class BookingTimeoutException extends RuntimeException {

	BookingTimeoutException(Duration timeout) {
		super("The booking did not finish within " + timeout.toMillis() + " ms", null, false, false);
	}

}
