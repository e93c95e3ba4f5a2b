package dev.seed.meetings.meeting.attendee;

import java.util.List;

/**
 * Some attendee ids are not known to the user directory.
 */
public class UnknownAttendeesException extends RuntimeException {

	private final List<String> userIds;

	public UnknownAttendeesException(List<String> userIds) {
		super("Unknown attendees: " + userIds);
		this.userIds = List.copyOf(userIds);
	}

	public List<String> userIds() {
		return this.userIds;
	}

}
