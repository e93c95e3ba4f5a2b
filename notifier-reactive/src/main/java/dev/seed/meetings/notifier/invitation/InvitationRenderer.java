package dev.seed.meetings.notifier.invitation;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import org.springframework.util.StringUtils;
import org.springframework.web.util.HtmlUtils;

import dev.seed.meetings.notifier.events.MeetingCreated;

/** Subject, plain text and HTML of one attendee's invitation, with the link to their own invitation page. */
final class InvitationRenderer {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM uuuu", Locale.ENGLISH);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

	private static final String UNTITLED = "(untitled meeting)";

	private final URI publicBaseUrl;

	private final InvitationTokens tokens;

	// two fields and their constructor: the shape of any small component (listed beside UserRepository's)
	InvitationRenderer(URI publicBaseUrl, InvitationTokens tokens) {
		this.publicBaseUrl = publicBaseUrl;
		this.tokens = tokens;
	}

	/** {@code {public-base-url}/invitations/{token}}: this attendee's page for this meeting, no sign-in needed. */
	URI link(MeetingCreated event, MeetingCreated.Attendee attendee) {
		String base = this.publicBaseUrl.toString().replaceAll("/+$", "");
		return URI.create(base + "/invitations/" + this.tokens.issue(event.meetingId(), attendee.userId().strip()));
	}

	Invitation render(MeetingCreated event, MeetingCreated.Attendee attendee, ZoneId zone, URI invitationLink,
			String calendar) {
		return render(event, attendee, zone, invitationLink, calendar, Notice.INVITATION);
	}

	/** The same for any notice: its subject prefix and opening line, its calendar method. */
	Invitation render(MeetingCreated event, MeetingCreated.Attendee attendee, ZoneId zone, URI invitationLink,
			String calendar, Notice notice) {
		String title = StringUtils.hasText(Text.oneLine(event.title())) ? Text.oneLine(event.title()) : UNTITLED;
		String when = when(event, zone);
		String location = StringUtils.hasText(event.location()) ? Text.oneLine(event.location()) : "online";
		String organizer = organizerLine(event);
		String link = invitationLink.toString();
		String greeting = StringUtils.hasText(attendee.name()) ? Text.oneLine(attendee.name()) : attendee.email();
		String text = """
				Hello %s,

				%s "%s".

				When:      %s
				Where:     %s
				Organizer: %s

				%s: %s
				""".formatted(greeting, notice.lead(), title, when, location, organizer,
				notice.cancels() ? "The invitation" : "Accept, answer tentatively or decline", link);
		String html = """
				<!DOCTYPE html>
				<html><body>
				<p>Hello %s,</p>
				<p>%s <strong>%s</strong>.</p>
				<table>
				<tr><th align="left">When</th><td>%s</td></tr>
				<tr><th align="left">Where</th><td>%s</td></tr>
				<tr><th align="left">Organizer</th><td>%s</td></tr>
				</table>
				<p><a href="%s">Open the invitation</a>%s</p>
				</body></html>
				""".formatted(escape(greeting), escape(notice.lead()), escape(title), escape(when), escape(location),
				escape(organizer), escape(link), notice.cancels() ? "." : " to accept, answer tentatively or decline.");
		return new Invitation(Text.oneLine(attendee.name()), attendee.email().strip(), notice.subjectPrefix() + title,
				text, html, calendar, notice.method());
	}

	/** The zone an attendee sees the times in: their own, else the organizer's, else {@code fallback}. */
	static ZoneId zoneFor(MeetingCreated event, MeetingCreated.Attendee attendee, ZoneId fallback) {
		return zone(attendee.timezone())
			.or(() -> Optional.ofNullable(event.organizer()).flatMap((organizer) -> zone(organizer.timezone())))
			.orElse(fallback);
	}

	/** A zone from a profile; one that Java does not know counts as none rather than failing the mail. */
	private static Optional<ZoneId> zone(String id) {
		if (!StringUtils.hasText(id)) {
			return Optional.empty();
		}
		try {
			return Optional.of(ZoneId.of(id.strip()));
		}
		catch (DateTimeException ex) {
			return Optional.empty();
		}
	}

	/** The organizer's name from the directory, else their user id; null when the event names nobody. */
	static String organizerName(MeetingCreated event) {
		MeetingCreated.Organizer organizer = event.organizer();
		if (organizer != null && StringUtils.hasText(organizer.name())) {
			return Text.oneLine(organizer.name());
		}
		if (organizer != null && StringUtils.hasText(organizer.userId())) {
			return Text.oneLine(organizer.userId());
		}
		return StringUtils.hasText(event.organizerId()) ? Text.oneLine(event.organizerId()) : null;
	}

	private static String organizerLine(MeetingCreated event) {
		String name = organizerName(event);
		MeetingCreated.Organizer organizer = event.organizer();
		String email = (organizer != null && StringUtils.hasText(organizer.email())) ? Text.oneLine(organizer.email())
				: null;
		if (name == null) {
			return (email != null) ? email : "unknown";
		}
		return (email != null) ? name + " <" + email + ">" : name;
	}

	/** Start and end in the attendee's zone, with the zone and its offset spelled out so nobody has to guess. */
	static String when(MeetingCreated event, ZoneId zone) {
		ZonedDateTime start = event.startAt().atZoneSameInstant(zone);
		ZonedDateTime end = event.endAt().atZoneSameInstant(zone);
		String endText = start.toLocalDate().equals(end.toLocalDate()) ? TIME.format(end)
				: DAY.format(end) + ", " + TIME.format(end);
		String offset = start.getOffset().getTotalSeconds() == 0 ? "+00:00" : start.getOffset().getId();
		return DAY.format(start) + ", " + TIME.format(start) + " – " + endText + " (" + zone.getId() + ", UTC" + offset
				+ ")";
	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value, "UTF-8");
	}

}
