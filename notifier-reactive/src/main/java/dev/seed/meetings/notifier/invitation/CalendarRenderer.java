package dev.seed.meetings.notifier.invitation;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;

import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.PartStat;
import net.fortuna.ical4j.model.parameter.Role;
import net.fortuna.ical4j.model.parameter.Rsvp;
import net.fortuna.ical4j.model.parameter.SentBy;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;

import org.springframework.util.StringUtils;

import dev.seed.meetings.notifier.events.MeetingCreated;

/**
 * The iCalendar {@code METHOD:REQUEST} that mail clients show as an invitation (or update), and the
 * {@code METHOD:CANCEL} that removes it. Times are written in UTC so that
 * no VTIMEZONE is needed; the UID derives from the meeting id so that a later update or cancel can refer to it.
 * ORGANIZER is the organizer's own address, so that a calendar's built-in answer reaches them, with the sending
 * address as SENT-BY. ical4j builds and escapes the properties; {@link ContentLines} folds them by octets.
 */
final class CalendarRenderer {

	static final String PRODUCT_ID = "-//Seed Meetings//Notifier//EN";

	private static final String END_OF_EVENT = "END:VEVENT\r\n";

	private final Clock clock;

	private final String sendingAddress;

	CalendarRenderer(Clock clock, String sendingAddress) {
		this.clock = clock;
		this.sendingAddress = sendingAddress.strip();
	}

	static String uid(MeetingCreated event) {
		return event.meetingId() + "@meetings.seed";
	}

	/**
	 * The meeting's calendar, rendered once: the same for every attendee but for the link to their own invitation,
	 * which {@link MeetingCalendar#forAttendee} adds.
	 */
	MeetingCalendar prepare(MeetingCreated event) {
		return prepare(event, 0, false);
	}

	/**
	 * The same for a later state of the meeting: {@code SEQUENCE} is its version; a cancellation (of the meeting, or
	 * of the attendees listed in {@code event} only) is {@code METHOD:CANCEL} with {@code STATUS:CANCELLED}, which
	 * calendars take to remove the event with this UID.
	 */
	MeetingCalendar prepare(MeetingCreated event, int sequence, boolean cancel) {
		VEvent meeting = new VEvent(event.startAt().toInstant(), event.endAt().toInstant(),
				Text.oneLine(event.title()));
		meeting.add(new Uid(uid(event)));
		meeting.add(new Sequence(sequence));
		if (cancel) {
			meeting.add(ImmutableStatus.VEVENT_CANCELLED);
		}
		meeting.replace(new DtStamp(Instant.now(this.clock)));
		if (StringUtils.hasText(event.location())) {
			meeting.add(new Location(Text.oneLine(event.location())));
		}
		meeting.add(organizer(event));
		for (MeetingCreated.Attendee invited : event.attendees()) {
			Attendee attendee = new Attendee(mailto(invited.email()));
			attendee.add(Role.REQ_PARTICIPANT);
			if (!cancel) {
				attendee.add(PartStat.NEEDS_ACTION);
				attendee.add(Rsvp.TRUE);
			}
			if (StringUtils.hasText(invited.name())) {
				attendee.add(new Cn(Text.parameter(invited.name())));
			}
			meeting.add(attendee);
		}
		String calendar = new Calendar().withProdId(PRODUCT_ID)
			.withDefaults()
			.withProperty(cancel ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST)
			.withComponent(meeting)
			.getFluentTarget()
			.toString();
		// one VEVENT, and no user text can hold a bare line break: the first END:VEVENT line is the event's end
		int end = calendar.indexOf("\r\n" + END_OF_EVENT) + 2;
		return new MeetingCalendar(calendar.substring(0, end), calendar.substring(end), cancel);
	}

	/**
	 * The organizer's own address when the directory has one, sent by the service's address; else the service's
	 * address under the organizer's name or id.
	 */
	private Organizer organizer(MeetingCreated event) {
		MeetingCreated.Organizer known = event.organizer();
		String email = (known != null && StringUtils.hasText(known.email())) ? known.email().strip() : null;
		Organizer organizer = new Organizer(mailto(email != null ? email : this.sendingAddress));
		String name = InvitationRenderer.organizerName(event);
		if (StringUtils.hasText(name)) {
			organizer.add(new Cn(Text.parameter(name)));
		}
		if (email != null && !email.equalsIgnoreCase(this.sendingAddress)) {
			organizer.add(new SentBy(mailto(this.sendingAddress)));
		}
		return organizer;
	}

	private static URI mailto(String address) {
		try {
			// the multi-argument constructor quotes what a raw address may contain
			return new URI("mailto", address.strip(), null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("not usable as a calendar address", ex);
		}
	}

}
