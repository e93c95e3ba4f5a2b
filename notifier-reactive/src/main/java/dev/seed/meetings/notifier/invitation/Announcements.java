package dev.seed.meetings.notifier.invitation;

import java.util.UUID;

import dev.seed.meetings.notifier.delivery.RecordedDelivery;
import dev.seed.meetings.notifier.events.InvitationEvents;
import dev.seed.meetings.notifier.events.MeetingCreated;

/**
 * Says on the broker how a mail ended, invitation or change alike: sent, or failed for good; a mail to be tried
 * again says nothing yet. The stream publisher never waits for the broker here.
 */
final class Announcements {

	private Announcements() {
	}

	static void announce(InvitationEvents events, UUID meetingId, MeetingCreated.Attendee attendee,
			RecordedDelivery recorded) {
		if (attendee == null) {
			return;
		}
		String email = attendee.email().strip();
		if (recorded.sent()) {
			events.sent(meetingId, recorded.userId(), email, recorded.attempts());
		}
		else if (recorded.failed()) {
			events.failed(meetingId, recorded.userId(), email, recorded.attempts(), recorded.lastError());
		}
	}

}
