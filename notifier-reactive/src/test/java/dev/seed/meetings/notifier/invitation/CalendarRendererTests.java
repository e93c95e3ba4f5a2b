package dev.seed.meetings.notifier.invitation;

import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.io.ParseWarning;
import biweekly.parameter.ParticipationStatus;
import biweekly.parameter.ParticipationLevel;
import biweekly.property.Attendee;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import dev.seed.meetings.notifier.events.MeetingCreated;

import static org.assertj.core.api.Assertions.assertThat;

/** The calendar part, read back by ical4j (which wrote it) and by biweekly (which did not). */
class CalendarRendererTests {

	private static final UUID MEETING_ID = UUID.fromString("5b0f7c1e-9c4e-4a55-9d6b-2f1f4c3e8a10");

	private static final String SENDER = "invitations@meetings.local";

	private static final URI LINK = URI.create("https://meet.example.com/invitations/"
			+ new InvitationTokens(InvitationTokensTests.SECRET).issue(MEETING_ID, "u-1002"));

	/** Long, multibyte and RFC 5545 special characters in every user-supplied field. */
	private static final String TITLE = "設計レビュー: Q4 roadmap, budget; risks \\ décisions — 東京オフィスとソウルオフィスの合同会議 🗓️";

	private static final String LOCATION = "東京都千代田区丸の内1-1-1, 3F 会議室「富士」; Room 3F-A \\ Building B — Ünïcödé Straße";

	private final CalendarRenderer calendars = new CalendarRenderer(
			Clock.fixed(Instant.parse("2026-11-20T08:00:00Z"), ZoneOffset.UTC), SENDER);

	@Test // #16
	void calendarPartParsesWithTwoIndependentLibraries() throws Exception {
		String ics = this.calendars.prepare(event(organizer("Lovelace, Ada \"the\" Countess", "ada@example.com")))
			.forAttendee(LINK);

		assertThat(ContentLinesTests.octetsPerLine(ics)).allMatch((octets) -> octets <= 75);
		assertThat(ics).contains("\r\n ").doesNotContain("\n\n").endsWith("END:VCALENDAR\r\n");
		assertThat(ics.replace("\r\n", "")).doesNotContain("\n", "\r");

		Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
		assertThat(calendar.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("REQUEST");
		VEvent meeting = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
		assertThat(meeting.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo(MEETING_ID + "@meetings.seed");
		assertThat(meeting.getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo("20261201T010000Z");
		assertThat(meeting.getProperty(Property.DTEND).orElseThrow().getValue()).isEqualTo("20261201T020000Z");
		assertThat(meeting.getProperty(Property.DTSTAMP).orElseThrow().getValue()).isEqualTo("20261120T080000Z");
		assertThat(meeting.getProperty(Property.SUMMARY).orElseThrow().getValue()).isEqualTo(TITLE);
		assertThat(meeting.getProperty(Property.LOCATION).orElseThrow().getValue()).isEqualTo(LOCATION);
		assertThat(meeting.getProperty(Property.URL).orElseThrow().getValue()).isEqualTo(LINK.toString());
		assertThat(meeting.getProperty(Property.DESCRIPTION).orElseThrow().getValue()).contains(LINK.toString());
		Property organizer = meeting.getProperty(Property.ORGANIZER).orElseThrow();
		assertThat(organizer.getValue()).isEqualTo("mailto:ada@example.com");
		assertThat(organizer.getParameter(Parameter.CN).orElseThrow().getValue())
			.isEqualTo("Lovelace, Ada 'the' Countess");
		assertThat(organizer.getParameter(Parameter.SENT_BY).orElseThrow().getValue()).isEqualTo("mailto:" + SENDER);
		List<Property> attendees = meeting.getProperties(Property.ATTENDEE);
		assertThat(attendees).extracting(Property::getValue)
			.containsExactly("mailto:grace@example.com", "mailto:haruki@example.com");
		for (Property attendee : attendees) {
			assertThat(attendee.getParameter(Parameter.RSVP).orElseThrow().getValue()).isEqualTo("TRUE");
			assertThat(attendee.getParameter(Parameter.PARTSTAT).orElseThrow().getValue()).isEqualTo("NEEDS-ACTION");
			assertThat(attendee.getParameter(Parameter.ROLE).orElseThrow().getValue()).isEqualTo("REQ-PARTICIPANT");
		}
		assertThat(attendees.get(0).getParameter(Parameter.CN).orElseThrow().getValue()).isEqualTo("Hopper; Grace");

		List<List<ParseWarning>> warnings = new ArrayList<>();
		ICalendar other = Biweekly.parse(ics).warnings(warnings).first();
		assertThat(warnings).allMatch(List::isEmpty);
		assertThat(other.getMethod().getValue()).isEqualTo("REQUEST");
		biweekly.component.VEvent event = other.getEvents().get(0);
		assertThat(event.getUid().getValue()).isEqualTo(MEETING_ID + "@meetings.seed");
		assertThat(event.getDateStart().getValue().toInstant()).isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
		assertThat(event.getDateEnd().getValue().toInstant()).isEqualTo(Instant.parse("2026-12-01T02:00:00Z"));
		assertThat(event.getSummary().getValue()).isEqualTo(TITLE);
		assertThat(event.getLocation().getValue()).isEqualTo(LOCATION);
		assertThat(event.getUrl().getValue()).isEqualTo(LINK.toString());
		assertThat(event.getOrganizer().getEmail()).isEqualTo("ada@example.com");
		assertThat(event.getOrganizer().getCommonName()).isEqualTo("Lovelace, Ada 'the' Countess");
		assertThat(event.getOrganizer().getSentBy()).isEqualTo("mailto:" + SENDER);
		assertThat(event.getAttendees()).extracting(Attendee::getEmail)
			.containsExactly("grace@example.com", "haruki@example.com");
		assertThat(event.getAttendees()).extracting(Attendee::getCommonName)
			.containsExactly("Hopper; Grace", "Haruki Sato 佐藤春樹");
		assertThat(event.getAttendees()).allSatisfy((attendee) -> {
			assertThat(attendee.getRsvp()).isTrue();
			assertThat(attendee.getParticipationStatus()).isEqualTo(ParticipationStatus.NEEDS_ACTION);
			assertThat(attendee.getParticipationLevel()).isEqualTo(ParticipationLevel.REQUIRED);
		});
	}

	/** An organizer the directory does not know is shown under their id, at the sending address, without SENT-BY. */
	@Test // #16
	void organizerWithoutEmailFallsBackToTheSendingAddress() throws Exception {
		MeetingCreated withoutDirectory = event(new MeetingCreated.Organizer("u-1001", null, null, null));
		MeetingCreated olderEvent = event(null);

		for (MeetingCreated event : List.of(withoutDirectory, olderEvent)) {
			String ics = this.calendars.prepare(event).forAttendee(LINK);

			ICalendar calendar = Biweekly.parse(ics).first();
			biweekly.property.Organizer organizer = calendar.getEvents().get(0).getOrganizer();
			assertThat(organizer.getEmail()).isEqualTo(SENDER);
			assertThat(organizer.getCommonName()).isEqualTo("u-1001");
			assertThat(organizer.getSentBy()).isNull();
		}
	}

	/** When the organizer's own address is the sending one, SENT-BY would say nothing and is left out. */
	@Test
	void organizerAtTheSendingAddressHasNoSentBy() throws Exception {
		String ics = this.calendars.prepare(event(organizer("Meetings desk", SENDER))).forAttendee(LINK);

		Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
		Property organizer = calendar.getComponent("VEVENT").orElseThrow().getProperty(Property.ORGANIZER).orElseThrow();
		assertThat(organizer.getValue()).isEqualTo("mailto:" + SENDER);
		assertThat(organizer.getParameter(Parameter.SENT_BY)).isEmpty();
	}

	/** Each attendee's copy carries their own link; everything else is the same. */
	@Test // #16
	void eachCopyCarriesItsAttendeesLink() {
		MeetingCalendar shared = this.calendars.prepare(event(organizer("Ada", "ada@example.com")));
		URI other = URI.create("https://meet.example.com/invitations/another.token");

		String first = shared.forAttendee(LINK);
		String second = shared.forAttendee(other);

		assertThat(unfold(first)).contains("URL:" + LINK).doesNotContain(other.toString());
		assertThat(unfold(second)).contains("URL:" + other).doesNotContain(LINK.toString());
		assertThat(unfold(first).replace(LINK.toString(), "")).isEqualTo(unfold(second).replace(other.toString(), ""));
	}

	/** A line break in the title cannot add an iCalendar property. */
	@Test
	void titleWithLineBreaksCannotInjectCalendarProperties() throws Exception {
		MeetingCreated event = new MeetingCreated("e-1", "MeetingCreated", OffsetDateTime.parse("2026-11-20T08:00:00Z"),
				MEETING_ID, "Review\r\nMETHOD:CANCEL", OffsetDateTime.parse("2026-12-01T10:00:00+09:00"),
				OffsetDateTime.parse("2026-12-01T11:00:00+09:00"), "Room 1", "u-1001", null,
				List.of(new MeetingCreated.Attendee("u-1002", "Grace\nX-EVIL:1", "grace@example.com")));

		String ics = this.calendars.prepare(event).forAttendee(LINK);

		Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
		assertThat(calendar.getProperties(Property.METHOD)).hasSize(1);
		VEvent meeting = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
		assertThat(meeting.getProperty(Property.SUMMARY).orElseThrow().getValue()).isEqualTo("Review METHOD:CANCEL");
		assertThat(meeting.getProperties("X-EVIL")).isEmpty();
	}

	/** #18: a booking is SEQUENCE 0; a later state carries its sequence; a cancel is METHOD:CANCEL, STATUS:CANCELLED. */
	@Test // #18
	void sequenceAndCancel() throws Exception {
		MeetingCreated event = event(organizer("Ada", "ada@example.com"));
		Calendar booked = new CalendarBuilder().build(new StringReader(this.calendars.prepare(event).forAttendee(LINK)));
		VEvent first = (VEvent) booked.getComponent("VEVENT").orElseThrow();
		assertThat(first.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("0");
		assertThat(first.getProperties(Property.STATUS)).isEmpty();

		String ics = this.calendars.prepare(event, 3, true).forAttendee(LINK);
		assertThat(ContentLinesTests.octetsPerLine(ics)).allMatch((octets) -> octets <= 75);
		Calendar cancel = new CalendarBuilder().build(new StringReader(ics));
		assertThat(cancel.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("CANCEL");
		VEvent meeting = (VEvent) cancel.getComponent("VEVENT").orElseThrow();
		assertThat(meeting.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo(MEETING_ID + "@meetings.seed");
		assertThat(meeting.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("3");
		assertThat(meeting.getProperty(Property.STATUS).orElseThrow().getValue()).isEqualTo("CANCELLED");
		for (Property attendee : meeting.getProperties(Property.ATTENDEE)) {
			assertThat(attendee.getParameter(Parameter.RSVP)).isEmpty();
		}
		assertThat(meeting.getProperty(Property.DESCRIPTION).orElseThrow().getValue()).startsWith("Cancelled.");
	}

	private static String unfold(String ics) {
		return ics.replace("\r\n ", "");
	}

	private static MeetingCreated.Organizer organizer(String name, String email) {
		return new MeetingCreated.Organizer("u-1001", name, email, "Europe/London");
	}

	private static MeetingCreated event(MeetingCreated.Organizer organizer) {
		return new MeetingCreated("e-1", "MeetingCreated", OffsetDateTime.parse("2026-11-20T08:00:00Z"), MEETING_ID,
				TITLE, OffsetDateTime.parse("2026-12-01T10:00:00+09:00"),
				OffsetDateTime.parse("2026-12-01T11:00:00+09:00"), LOCATION, "u-1001", organizer,
				List.of(new MeetingCreated.Attendee("u-1002", "Hopper; Grace", "grace@example.com", null),
						new MeetingCreated.Attendee("u-1003", "Haruki Sato 佐藤春樹", "haruki@example.com",
								"Asia/Tokyo")));
	}

}
