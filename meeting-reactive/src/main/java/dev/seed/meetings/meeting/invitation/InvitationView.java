package dev.seed.meetings.meeting.invitation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One attendee's invitation as {@code GET /api/invitations/{token}} shows it: the times in the attendee's zone
 * ({@code timezone}: their profile's, else the organizer's, else UTC), the attendee and their answer, and the other
 * attendees by name with theirs. No email address but the organizer's. The meeting as it now is: {@code status}
 * {@code scheduled}, or {@code cancelled} once its organizer cancelled it.
 */
record InvitationView(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String timezone, String status, Organizer organizer, Invitee attendee, List<OtherAttendee> attendees) {

	boolean cancelled() {
		return "cancelled".equals(this.status);
	}

	/** {@code name} and {@code email} are null when the user directory does not know the organizer. */
	record Organizer(String name, String email) {
	}

	record Invitee(String userId, String name, String response) {
	}

	record OtherAttendee(String name, String response) {
	}

}
