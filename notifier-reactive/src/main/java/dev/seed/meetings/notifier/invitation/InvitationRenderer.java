package dev.seed.meetings.notifier.invitation;

import java.net.URI;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.util.StringUtils;
import org.springframework.web.util.HtmlUtils;

import dev.seed.meetings.notifier.events.MeetingCreated;

/** Subject, plain text and HTML of one attendee's invitation; the calendar part is shared by all attendees. */
final class InvitationRenderer {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

	private static final String UNTITLED = "(untitled meeting)";

	private final URI publicBaseUrl;

	InvitationRenderer(URI publicBaseUrl) {
		this.publicBaseUrl = publicBaseUrl;
	}

	URI link(MeetingCreated event) {
		String base = this.publicBaseUrl.toString().replaceAll("/+$", "");
		return URI.create(base + "/meetings/" + event.meetingId());
	}

	Invitation render(MeetingCreated event, MeetingCreated.Attendee attendee, ZoneId zone, String calendar) {
		String title = StringUtils.hasText(Text.oneLine(event.title())) ? Text.oneLine(event.title()) : UNTITLED;
		String when = when(event, zone);
		String location = StringUtils.hasText(event.location()) ? Text.oneLine(event.location()) : "online";
		String organizer = StringUtils.hasText(event.organizerId()) ? Text.oneLine(event.organizerId()) : "unknown";
		String link = link(event).toString();
		String greeting = StringUtils.hasText(attendee.name()) ? Text.oneLine(attendee.name()) : attendee.email();
		String text = """
				Hello %s,

				you are invited to "%s".

				When:      %s
				Where:     %s
				Organizer: %s

				Details: %s
				""".formatted(greeting, title, when, location, organizer, link);
		String html = """
				<!DOCTYPE html>
				<html><body>
				<p>Hello %s,</p>
				<p>you are invited to <strong>%s</strong>.</p>
				<table>
				<tr><th align="left">When</th><td>%s</td></tr>
				<tr><th align="left">Where</th><td>%s</td></tr>
				<tr><th align="left">Organizer</th><td>%s</td></tr>
				</table>
				<p><a href="%s">Open the meeting</a></p>
				</body></html>
				""".formatted(escape(greeting), escape(title), escape(when), escape(location), escape(organizer),
				escape(link));
		return new Invitation(Text.oneLine(attendee.name()), attendee.email().strip(), "Invitation: " + title, text,
				html, calendar);
	}

	/** Start and end in the attendee's zone, with the zone and its offset spelled out so nobody has to guess. */
	static String when(MeetingCreated event, ZoneId zone) {
		ZonedDateTime start = event.startAt().atZoneSameInstant(zone);
		ZonedDateTime end = event.endAt().atZoneSameInstant(zone);
		String endText = start.toLocalDate().equals(end.toLocalDate()) ? TIME.format(end)
				: DAY.format(end) + " " + TIME.format(end);
		String offset = start.getOffset().getTotalSeconds() == 0 ? "+00:00" : start.getOffset().getId();
		return DAY.format(start) + ", " + TIME.format(start) + " – " + endText + " (" + zone.getId() + ", UTC" + offset
				+ ")";
	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value, "UTF-8");
	}

}
