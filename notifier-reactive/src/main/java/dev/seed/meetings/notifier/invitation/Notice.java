package dev.seed.meetings.notifier.invitation;

import org.simplejavamail.api.email.CalendarMethod;

/**
 * What one mail about a meeting tells its attendee, as iTIP (RFC 5546) puts it: an invitation, an update or a move
 * of a meeting they are in ({@code METHOD:REQUEST}), or that it is off for them or for everyone ({@code METHOD:CANCEL}).
 */
public enum Notice {

	INVITATION(CalendarMethod.REQUEST, "Invitation: ", "you are invited to"),

	UPDATE(CalendarMethod.REQUEST, "Updated: ", "the organizer updated"),

	MOVE(CalendarMethod.REQUEST, "Moved: ", "the organizer moved"),

	REMOVAL(CalendarMethod.CANCEL, "Cancelled: ", "you are no longer invited to"),

	CANCELLATION(CalendarMethod.CANCEL, "Cancelled: ", "the organizer cancelled");

	private final CalendarMethod method;

	private final String subjectPrefix;

	private final String lead;

	// an enum's fields and constructor: the shape of any constructor (listed beside MeetingController's)
	Notice(CalendarMethod method, String subjectPrefix, String lead) {
		this.method = method;
		this.subjectPrefix = subjectPrefix;
		this.lead = lead;
	}

	CalendarMethod method() {
		return this.method;
	}

	boolean cancels() {
		return this.method == CalendarMethod.CANCEL;
	}

	String subjectPrefix() {
		return this.subjectPrefix;
	}

	String lead() {
		return this.lead;
	}

}
