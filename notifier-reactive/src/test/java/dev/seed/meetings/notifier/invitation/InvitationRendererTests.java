package dev.seed.meetings.notifier.invitation;

import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import dev.seed.meetings.notifier.events.MeetingCreated;

import static org.assertj.core.api.Assertions.assertThat;

class InvitationRendererTests {

	private static final UUID MEETING_ID = UUID.fromString("5b0f7c1e-9c4e-4a55-9d6b-2f1f4c3e8a10");

	private final InvitationRenderer renderer = new InvitationRenderer(URI.create("https://meet.example.com/"));

	private final CalendarRenderer calendars = new CalendarRenderer(
			Clock.fixed(Instant.parse("2026-11-20T08:00:00Z"), ZoneOffset.UTC), "invitations@meetings.local");

	/** A title carrying CR/LF (a header-injection attempt) ends up as one subject line. */
	@Test
	void titleWithLineBreaksStaysOneSubjectLine() {
		MeetingCreated event = event("Review\r\nBcc: victim@example.com\nX-Evil: 1", "Room 1");

		Invitation invitation = this.renderer.render(event, event.attendees().get(0), ZoneId.of("UTC"), "");

		assertThat(invitation.subject()).doesNotContain("\r", "\n")
			.isEqualTo("Invitation: Review Bcc: victim@example.com X-Evil: 1");
	}

	/** User text is HTML-escaped: a script in the title or location is shown, never run. */
	@Test
	void scriptInTitleIsEscapedInHtml() {
		MeetingCreated event = event("<script>alert(1)</script>", "<img src=x onerror=alert(2)>");

		Invitation invitation = this.renderer.render(event, event.attendees().get(0), ZoneId.of("UTC"), "");

		assertThat(invitation.html()).doesNotContain("<script>", "<img")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.contains("&lt;img src=x onerror=alert(2)&gt;");
		assertThat(invitation.text()).contains("<script>alert(1)</script>");
	}

	/** Times are shown in the attendee's zone with the zone and offset spelled out, and the link is built. */
	@Test
	void bodyShowsTimesInTheGivenZoneAndTheInviteLink() {
		MeetingCreated event = event("Design review", "Room 3F-A");

		Invitation tokyo = this.renderer.render(event, event.attendees().get(0), ZoneId.of("Asia/Tokyo"), "");
		Invitation utc = this.renderer.render(event, event.attendees().get(0), ZoneId.of("UTC"), "");

		assertThat(tokyo.text()).contains("Tuesday 1 December 2026, 10:00 – 11:00 (Asia/Tokyo, UTC+09:00)")
			.contains("Room 3F-A")
			.contains("organizer-7")
			.contains("https://meet.example.com/meetings/" + MEETING_ID);
		assertThat(utc.text()).contains("Tuesday 1 December 2026, 01:00 – 02:00 (UTC, UTC+00:00)");
		assertThat(tokyo.html()).contains("href=\"https://meet.example.com/meetings/" + MEETING_ID + "\"");
	}

	/** The ICS parses and carries METHOD:REQUEST, the stable UID, UTC times, location, organizer and every attendee. */
	@Test
	void calendarIsARequestWithEveryAttendee() throws Exception {
		MeetingCreated event = event("Design review", "Room 3F-A");

		String ics = this.calendars.render(event, this.renderer.link(event));

		Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
		assertThat(calendar.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("REQUEST");
		VEvent meeting = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
		assertThat(meeting.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo(MEETING_ID + "@meetings.seed");
		assertThat(meeting.getProperty(Property.SEQUENCE).orElseThrow().getValue()).isEqualTo("0");
		assertThat(meeting.getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo("20261201T010000Z");
		assertThat(meeting.getProperty(Property.DTEND).orElseThrow().getValue()).isEqualTo("20261201T020000Z");
		assertThat(meeting.getProperty(Property.DTSTAMP).orElseThrow().getValue()).isEqualTo("20261120T080000Z");
		assertThat(meeting.getProperty(Property.LOCATION).orElseThrow().getValue()).isEqualTo("Room 3F-A");
		assertThat(meeting.getProperty(Property.ORGANIZER).orElseThrow().getValue())
			.isEqualTo("mailto:invitations@meetings.local");
		assertThat(meeting.getProperty(Property.URL).orElseThrow().getValue())
			.isEqualTo("https://meet.example.com/meetings/" + MEETING_ID);
		List<Property> attendees = meeting.getProperties(Property.ATTENDEE);
		assertThat(attendees).extracting(Property::getValue)
			.containsExactly("mailto:ann@example.com", "mailto:bob@example.com");
		assertThat(attendees.get(0).toString()).contains("RSVP=TRUE", "PARTSTAT=NEEDS-ACTION", "ROLE=REQ-PARTICIPANT");
		assertThat(ics).contains("METHOD:REQUEST");
	}

	/** A line break in the title cannot add an iCalendar property. */
	@Test
	void titleWithLineBreaksCannotInjectCalendarProperties() throws Exception {
		MeetingCreated event = event("Review\r\nMETHOD:CANCEL", "Room 1");

		String ics = this.calendars.render(event, this.renderer.link(event));

		Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
		assertThat(calendar.getProperties(Property.METHOD)).hasSize(1);
		VEvent meeting = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
		assertThat(meeting.getProperty(Property.SUMMARY).orElseThrow().getValue()).isEqualTo("Review METHOD:CANCEL");
	}

	private static MeetingCreated event(String title, String location) {
		return new MeetingCreated("e-1", "MeetingCreated", OffsetDateTime.parse("2026-11-20T08:00:00Z"), MEETING_ID,
				title, OffsetDateTime.parse("2026-12-01T10:00:00+09:00"),
				OffsetDateTime.parse("2026-12-01T11:00:00+09:00"), location, "organizer-7",
				List.of(new MeetingCreated.Attendee("u-1", "Ann", "ann@example.com"),
						new MeetingCreated.Attendee("u-2", "Bob", "bob@example.com")));
	}

}
