package dev.seed.meetings.notifier.invitation;

/** One attendee's mail, ready to send: every field is already safe for its place in the message. */
record Invitation(String recipientName, String recipientEmail, String subject, String text, String html,
		String calendar) {
}
