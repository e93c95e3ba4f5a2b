package dev.seed.meetings.meeting.booking;

import java.util.UUID;

/**
 * No meeting has this id.
 */
public class MeetingNotFoundException extends RuntimeException {

	public MeetingNotFoundException(UUID meetingId) {
		super("No meeting " + meetingId);
	}

}
