package dev.seed.meetings.meeting.booking;

/**
 * A request named its caller in {@code X-User-Id} without the gateway's token.
 */
public class UntrustedCallerException extends RuntimeException {

	UntrustedCallerException() {
		super("X-User-Id is accepted from the gateway only; call the API through the gateway.");
	}

}
