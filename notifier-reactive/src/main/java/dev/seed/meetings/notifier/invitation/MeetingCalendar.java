package dev.seed.meetings.notifier.invitation;

import java.net.URI;

import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.Url;

/**
 * A meeting's calendar part as unfolded content lines, rendered once for all its attendees: {@code head} up to the
 * event's last shared property, {@code tail} from {@code END:VEVENT} on; {@code cancelled} for a {@code METHOD:CANCEL}.
 */
record MeetingCalendar(String head, String tail, boolean cancelled) {

	/** This attendee's copy: {@code URL} and {@code DESCRIPTION} point at their own invitation; folded. */
	String forAttendee(URI invitation) {
		String description = this.cancelled ? "Cancelled. The invitation: " + invitation
				: "Accept, answer tentatively or decline: " + invitation;
		return ContentLines.fold(this.head + new Url(invitation) + new Description(description) + this.tail);
	}

}
