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
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;

import org.springframework.util.StringUtils;

import dev.seed.meetings.notifier.events.MeetingCreated;

/**
 * The iCalendar {@code METHOD:REQUEST} that mail clients show as an invitation. Times are written in UTC so that
 * no VTIMEZONE is needed; the UID derives from the meeting id so that a later update or cancel can refer to it.
 */
final class CalendarRenderer {

	static final String PRODUCT_ID = "-//Seed Meetings//Notifier//EN";

	private final Clock clock;

	private final String organizerAddress;

	CalendarRenderer(Clock clock, String organizerAddress) {
		this.clock = clock;
		this.organizerAddress = organizerAddress;
	}

	static String uid(MeetingCreated event) {
		return event.meetingId() + "@meetings.seed";
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

	String render(MeetingCreated event, URI link) {
		VEvent meeting = new VEvent(event.startAt().toInstant(), event.endAt().toInstant(),
				Text.oneLine(event.title()));
		meeting.add(new Uid(uid(event)));
		meeting.add(new Sequence(0));
		meeting.replace(new DtStamp(Instant.now(this.clock)));
		if (StringUtils.hasText(event.location())) {
			meeting.add(new Location(Text.oneLine(event.location())));
		}
		Organizer organizer = new Organizer(mailto(this.organizerAddress));
		if (StringUtils.hasText(event.organizerId())) {
			organizer.add(new Cn(Text.oneLine(event.organizerId())));
		}
		meeting.add(organizer);
		for (MeetingCreated.Attendee invited : event.attendees()) {
			Attendee attendee = new Attendee(mailto(invited.email()));
			attendee.add(Role.REQ_PARTICIPANT);
			attendee.add(PartStat.NEEDS_ACTION);
			attendee.add(Rsvp.TRUE);
			if (StringUtils.hasText(invited.name())) {
				attendee.add(new Cn(Text.oneLine(invited.name())));
			}
			meeting.add(attendee);
		}
		meeting.add(new Url(link));
		Calendar calendar = new Calendar().withProdId(PRODUCT_ID)
			.withDefaults()
			.withProperty(ImmutableMethod.REQUEST)
			.withComponent(meeting)
			.getFluentTarget();
		return calendar.toString();
	}

}
