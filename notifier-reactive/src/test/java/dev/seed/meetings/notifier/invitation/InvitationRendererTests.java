package dev.seed.meetings.notifier.invitation;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seed.meetings.notifier.events.MeetingCreated;

import static org.assertj.core.api.Assertions.assertThat;

class InvitationRendererTests {

	private static final UUID MEETING_ID = UUID.fromString("5b0f7c1e-9c4e-4a55-9d6b-2f1f4c3e8a10");

	private static final ZoneId DEFAULT = ZoneId.of("UTC");

	private final InvitationRenderer renderer = new InvitationRenderer(URI.create("https://meet.example.com/"),
			new InvitationTokens(InvitationTokensTests.SECRET));

	/** A title carrying CR/LF (a header-injection attempt) ends up as one subject line. */
	@Test
	void titleWithLineBreaksStaysOneSubjectLine() {
		MeetingCreated event = event("Review\r\nBcc: victim@example.com\nX-Evil: 1", "Room 1", null);

		Invitation invitation = render(event, event.attendees().get(0), DEFAULT);

		assertThat(invitation.subject()).doesNotContain("\r", "\n")
			.isEqualTo("Invitation: Review Bcc: victim@example.com X-Evil: 1");
	}

	/** User text is HTML-escaped: a script in the title or location is shown, never run. */
	@Test
	void scriptInTitleIsEscapedInHtml() {
		MeetingCreated event = event("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", null);

		Invitation invitation = render(event, event.attendees().get(0), DEFAULT);

		assertThat(invitation.html()).doesNotContain("<script>", "<img")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.contains("&lt;img src=x onerror=alert(2)&gt;");
		assertThat(invitation.text()).contains("<script>alert(1)</script>");
	}

	/** Times are shown in the attendee's zone with the zone and offset spelled out. */
	@Test // #16
	void bodyShowsTimesInTheGivenZone() {
		MeetingCreated event = event("Design review", "Room 3F-A", null);

		Invitation tokyo = render(event, event.attendees().get(0), ZoneId.of("Asia/Tokyo"));
		Invitation utc = render(event, event.attendees().get(0), DEFAULT);
		Invitation newYork = render(event, event.attendees().get(0), ZoneId.of("America/New_York"));

		assertThat(tokyo.text()).contains("Tue 1 Dec 2026, 10:00 – 11:00 (Asia/Tokyo, UTC+09:00)")
			.contains("Room 3F-A");
		assertThat(tokyo.html()).contains("Tue 1 Dec 2026, 10:00 – 11:00 (Asia/Tokyo, UTC+09:00)");
		assertThat(utc.text()).contains("Tue 1 Dec 2026, 01:00 – 02:00 (UTC, UTC+00:00)");
		assertThat(newYork.text()).contains("Mon 30 Nov 2026, 20:00 – 21:00 (America/New_York, UTC-05:00)");
	}

	/** The attendee's own zone, else the organizer's, else the default; a zone Java does not know counts as none. */
	@Test // #16
	void zoneIsTheAttendeesThenTheOrganizersThenTheDefault() {
		MeetingCreated.Organizer organizer = new MeetingCreated.Organizer("u-1001", "Ada", "ada@example.com",
				"Europe/London");
		MeetingCreated event = event("Design review", "Room 3F-A", organizer);
		MeetingCreated.Attendee tokyo = new MeetingCreated.Attendee("u-1003", "Haruki", "h@example.com", "Asia/Tokyo");
		MeetingCreated.Attendee none = new MeetingCreated.Attendee("u-1004", "Min-jun", "m@example.com", null);
		MeetingCreated.Attendee unknown = new MeetingCreated.Attendee("u-1005", "Lucia", "l@example.com", "Mars/Base");

		assertThat(InvitationRenderer.zoneFor(event, tokyo, DEFAULT)).isEqualTo(ZoneId.of("Asia/Tokyo"));
		assertThat(InvitationRenderer.zoneFor(event, none, DEFAULT)).isEqualTo(ZoneId.of("Europe/London"));
		assertThat(InvitationRenderer.zoneFor(event, unknown, DEFAULT)).isEqualTo(ZoneId.of("Europe/London"));
		MeetingCreated older = event("Design review", "Room 3F-A", null);
		assertThat(InvitationRenderer.zoneFor(older, none, DEFAULT)).isEqualTo(DEFAULT);
		MeetingCreated organizerWithoutZone = event("Design review", "Room 3F-A",
				new MeetingCreated.Organizer("u-1001", null, null, null));
		assertThat(InvitationRenderer.zoneFor(organizerWithoutZone, unknown, DEFAULT)).isEqualTo(DEFAULT);
	}

	/** The link is the attendee's own invitation page, its token signed with the secret for this meeting and user. */
	@Test // #16
	void linkIsTheAttendeesSignedInvitation() throws Exception {
		MeetingCreated event = event("Design review", "Room 3F-A", null);
		MeetingCreated.Attendee ann = event.attendees().get(0);

		URI link = this.renderer.link(event, ann);
		Invitation invitation = render(event, ann, DEFAULT);

		assertThat(link.toString()).startsWith("https://meet.example.com/invitations/");
		String token = link.getPath().substring("/invitations/".length());
		assertThat(InvitationTokensTests.verifies(token, InvitationTokensTests.SECRET)).isTrue();
		assertThat(token).isEqualTo(new InvitationTokens(InvitationTokensTests.SECRET).issue(MEETING_ID, "u-1"));
		assertThat(this.renderer.link(event, event.attendees().get(1))).isNotEqualTo(link);
		assertThat(invitation.text()).contains(link.toString()).doesNotContain("/meetings/");
		assertThat(invitation.html()).contains("href=\"" + link + "\"");
	}

	/** The organizer is named as the directory knows them, by id when it does not. */
	@Test // #16
	void organizerIsShownByNameAndEmail() {
		MeetingCreated known = event("Design review", "Room 3F-A",
				new MeetingCreated.Organizer("u-1001", "Ada Lovelace", "ada@example.com", "Europe/London"));
		MeetingCreated unknown = event("Design review", "Room 3F-A", null);

		assertThat(render(known, known.attendees().get(0), DEFAULT).text())
			.contains("Organizer: Ada Lovelace <ada@example.com>");
		assertThat(render(known, known.attendees().get(0), DEFAULT).html())
			.contains("Ada Lovelace &lt;ada@example.com&gt;");
		assertThat(render(unknown, unknown.attendees().get(0), DEFAULT).text()).contains("Organizer: organizer-7");
	}

	private Invitation render(MeetingCreated event, MeetingCreated.Attendee attendee, ZoneId zone) {
		return this.renderer.render(event, attendee, zone, this.renderer.link(event, attendee), "");
	}

	private static MeetingCreated event(String title, String location, MeetingCreated.Organizer organizer) {
		return new MeetingCreated("e-1", "MeetingCreated", OffsetDateTime.parse("2026-11-20T08:00:00Z"), MEETING_ID,
				title, OffsetDateTime.parse("2026-12-01T10:00:00+09:00"),
				OffsetDateTime.parse("2026-12-01T11:00:00+09:00"), location, "organizer-7", organizer,
				List.of(new MeetingCreated.Attendee("u-1", "Ann", "ann@example.com"),
						new MeetingCreated.Attendee("u-2", "Bob", "bob@example.com")));
	}

}
