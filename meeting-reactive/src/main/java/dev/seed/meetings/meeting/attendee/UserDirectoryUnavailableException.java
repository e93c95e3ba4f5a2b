package dev.seed.meetings.meeting.attendee;

/**
 * The user directory did not answer usefully in time, even after the retries.
 */
public class UserDirectoryUnavailableException extends RuntimeException {

	public UserDirectoryUnavailableException(Throwable cause) {
		super("The user directory is unavailable", cause);
	}

}
