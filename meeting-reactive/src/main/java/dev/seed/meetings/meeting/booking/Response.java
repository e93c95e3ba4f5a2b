package dev.seed.meetings.meeting.booking;

import java.util.Set;

/**
 * An attendee's answer to an invitation: RFC 5545's PARTSTAT values for an event, in lower case.
 */
public final class Response {

	public static final String NEEDS_ACTION = "needs-action";

	/** The answers an attendee may give. */
	public static final Set<String> ANSWERS = Set.of("accepted", "tentative", "declined");

	private Response() {
	}

}
