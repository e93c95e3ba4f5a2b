package dev.seed.meetings.notifier;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import biweekly.property.Attendee;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MeetingCreated with the organizer and the attendees' zones, through the real broker into GreenMail: each
 * attendee reads the times in their own zone and a link of their own, and the calendar part answers the organizer.
 */
class InvitedPersonIntegrationTests extends NotifierIntegrationTest {

	private static final Pattern LINK = Pattern.compile("https://meet\\.example\\.com/invitations/([A-Za-z0-9_.-]+)");

	@Test // #16
	void eachAttendeeGetsTheirZoneTheirLinkAndACalendarThatAnswersTheOrganizer() throws Exception {
		UUID meetingId = UUID.randomUUID();
		String run = meetingId.toString().substring(0, 8);
		String b = "b-" + run + "@example.com";
		String c = "c-" + run + "@example.com";
		String title = "四半期レビュー, budget; risks — a long title that needs folding 🗓️ " + run;
		publish("e-" + meetingId, """
				{"eventId":"e-%1$s","type":"MeetingCreated","occurredAt":"2026-11-20T08:00:00Z","meetingId":"%1$s",
				 "title":"%2$s","startAt":"2026-12-01T10:00:00+09:00","endAt":"2026-12-01T11:00:00+09:00",
				 "location":"東京 Room 3F-A, Building B","organizerId":"u-a-%3$s",
				 "organizer":{"userId":"u-a-%3$s","name":"Ada Lovelace","email":"ada-%3$s@example.com",
				   "timezone":"Europe/London"},
				 "attendees":[
				   {"userId":"u-b-%3$s","name":"Haruki Sato","email":"%4$s","timezone":"Asia/Tokyo"},
				   {"userId":"u-c-%3$s","name":"Grace Hopper","email":"%5$s","timezone":"America/New_York"}]}"""
			.formatted(meetingId, title, run, b, c));

		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));
		MimeMessage toB = single(b);
		MimeMessage toC = single(c);

		String textB = part(toB, "text/plain");
		String textC = part(toC, "text/plain");
		assertThat(textB).contains("Tue 1 Dec 2026, 10:00 – 11:00 (Asia/Tokyo, UTC+09:00)")
			.contains("Organizer: Ada Lovelace <ada-" + run + "@example.com>");
		assertThat(part(toB, "text/html")).contains("Tue 1 Dec 2026, 10:00 – 11:00 (Asia/Tokyo, UTC+09:00)");
		assertThat(textC).contains("Mon 30 Nov 2026, 20:00 – 21:00 (America/New_York, UTC-05:00)");

		String tokenB = token(textB);
		String tokenC = token(textC);
		assertThat(tokenB).isNotEqualTo(tokenC);
		assertThat(part(toB, "text/html")).contains("href=\"https://meet.example.com/invitations/" + tokenB + "\"");
		assertVerifies(tokenB, meetingId, "u-b-" + run);
		assertVerifies(tokenC, meetingId, "u-c-" + run);

		String ics = new String(calendarPart(toB).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(ics.split("\r\n")).allMatch((line) -> line.getBytes(StandardCharsets.UTF_8).length <= 75);
		Calendar calendar = parse(calendarPart(toB));
		Property organizer = calendar.getComponent("VEVENT").orElseThrow().getProperty(Property.ORGANIZER).orElseThrow();
		assertThat(organizer.getValue()).isEqualTo("mailto:ada-" + run + "@example.com");
		assertThat(organizer.getParameter(Parameter.CN).orElseThrow().getValue()).isEqualTo("Ada Lovelace");
		assertThat(organizer.getParameter(Parameter.SENT_BY).orElseThrow().getValue())
			.isEqualTo("mailto:invitations@meetings.local");
		ICalendar other = Biweekly.parse(ics).first();
		assertThat(other.getMethod().getValue()).isEqualTo("REQUEST");
		VEvent event = other.getEvents().get(0);
		assertThat(event.getSummary().getValue()).isEqualTo(title);
		assertThat(event.getDateStart().getValue().toInstant()).isEqualTo(Instant.parse("2026-12-01T01:00:00Z"));
		assertThat(event.getUrl().getValue()).isEqualTo("https://meet.example.com/invitations/" + tokenB);
		assertThat(event.getOrganizer().getEmail()).isEqualTo("ada-" + run + "@example.com");
		assertThat(event.getAttendees()).extracting(Attendee::getEmail).containsExactly(b, c);
		assertThat(event.getAttendees()).allMatch((attendee) -> Boolean.TRUE.equals(attendee.getRsvp()));
		awaitQueueDrained();
	}

	private static MimeMessage single(String email) throws Exception {
		List<MimeMessage> mail = mailTo(email);
		assertThat(mail).hasSize(1);
		// a copy read back from the raw bytes, as a mail client would receive it
		byte[] raw;
		try (var out = new java.io.ByteArrayOutputStream()) {
			mail.get(0).writeTo(out);
			raw = out.toByteArray();
		}
		return new MimeMessage(null, new ByteArrayInputStream(raw));
	}

	private static String part(Part part, String mimeType) throws Exception {
		if (part.isMimeType(mimeType) && !(part.getContent() instanceof Multipart)) {
			return part.getContent().toString();
		}
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart body = multipart.getBodyPart(i);
				String found = part(body, mimeType);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static String token(String text) {
		Matcher link = LINK.matcher(text);
		assertThat(link.find()).as("an invitation link in %s", text).isTrue();
		return link.group(1);
	}

	/** Checked the way the service opening the links does, with javax.crypto and the shared secret only. */
	private static void assertVerifies(String token, UUID meetingId, String userId) throws Exception {
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(2);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(INVITATION_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		byte[] signature = mac.doFinal(parts[0].getBytes(StandardCharsets.US_ASCII));
		assertThat(Base64.getUrlDecoder().decode(parts[1])).isEqualTo(signature);
		ByteBuffer claims = ByteBuffer.wrap(Base64.getUrlDecoder().decode(parts[0]));
		assertThat(new UUID(claims.getLong(), claims.getLong())).isEqualTo(meetingId);
		assertThat(StandardCharsets.UTF_8.decode(claims).toString()).isEqualTo(userId);
	}

}
