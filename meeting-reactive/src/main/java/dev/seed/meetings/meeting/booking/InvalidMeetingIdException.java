package dev.seed.meetings.meeting.booking;

/**
 * A meeting id that is not a UUID.
 */
public class InvalidMeetingIdException extends RuntimeException {

	public InvalidMeetingIdException(String value) {
		super("meetingId must be a UUID");
	}

}
