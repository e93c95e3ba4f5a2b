package dev.seed.meetings.notifier.invitation;

import org.simplejavamail.api.email.CalendarMethod;

/** One attendee's mail, ready to send: every field is already safe for its place in the message. */
record Invitation(String recipientName, String recipientEmail, String subject, String text, String html,
		String calendar, CalendarMethod method) {

	/** An invitation ({@code METHOD:REQUEST}). */
	Invitation(String recipientName, String recipientEmail, String subject, String text, String html, String calendar) {
		this(recipientName, recipientEmail, subject, text, html, calendar, CalendarMethod.REQUEST);
	}

}
