package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.seed.meetings.testsupport.TestStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** #18: MeetingUpdated and MeetingCancelled reach calendars as iTIP REQUEST / CANCEL, in sequence order. */
class MeetingChangesIntegrationTests extends NotifierIntegrationTest {

	private static final Logger log = LoggerFactory.getLogger(MeetingChangesIntegrationTests.class);

	static final String CHANGES_QUEUE = "notification.meeting.changed";

	private static final String MOVED_START = "2026-12-02T15:00:00+09:00";

	private static final String MOVED_END = "2026-12-02T16:00:00+09:00";

	@Autowired
	WebTestClient http;

	/**
	 * Booking, reschedule, cancellation: each attendee gets SEQUENCE 0, 1, 2 in that order, the same UID, the
	 * second with the new DTSTART, the third a CANCEL with STATUS:CANCELLED; the invitations endpoint lists them.
	 */
	@Test // #18
	void rescheduleThenCancel() throws Exception {
		List<Person> people = attendees(2);
		UUID meetingId = UUID.randomUUID();
		publish(UUID.randomUUID().toString(), event(UUID.randomUUID().toString(), meetingId, "Design review", people));
		awaitMails(people, 1);
		String updateId = UUID.randomUUID().toString();
		publish("meeting.updated", updateId, changed(updateId, "MeetingUpdated", meetingId, 1, "Design review",
				MOVED_START, MOVED_END, "[\"startAt\",\"endAt\"]", people, List.of(), List.of()));
		awaitMails(people, 2);
		String cancelId = UUID.randomUUID().toString();
		publish("meeting.cancelled", cancelId, changed(cancelId, "MeetingCancelled", meetingId, 2, "Design review",
				MOVED_START, MOVED_END, null, people, null, null));
		awaitMails(people, 3);

		for (Person person : people) {
			List<MimeMessage> mails = mailTo(person.email());
			String booked = ics(mails.get(0));
			String moved = ics(mails.get(1));
			String cancelled = ics(mails.get(2));
			String uid = "UID:" + meetingId + "@meetings.seed";
			assertThat(booked).contains("METHOD:REQUEST", "SEQUENCE:0", uid, "DTSTART:20261201T010000Z");
			assertThat(moved).contains("METHOD:REQUEST", "SEQUENCE:1", uid, "DTSTART:20261202T060000Z");
			assertThat(cancelled).contains("METHOD:CANCEL", "SEQUENCE:2", "STATUS:CANCELLED", uid);
			assertThat(mails.get(1).getSubject()).isEqualTo("Moved: Design review");
			assertThat(mails.get(2).getSubject()).isEqualTo("Cancelled: Design review");
			assertThat(calendarPart(mails.get(2)).getContentType()).containsPattern("method=\"?CANCEL");
			if (person.equals(people.get(0))) {
				log.info("The calendar parts {} received:\n--- booking ---\n{}--- reschedule ---\n{}--- cancellation "
						+ "---\n{}", person.email(), booked, moved, cancelled);
			}
		}
		this.http.get().uri("/api/meetings/" + meetingId + "/invitations").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.invitations.length()").isEqualTo(6)
			.jsonPath("$.invitations[0].sequence").isEqualTo(0)
			.jsonPath("$.invitations[1].sequence").isEqualTo(1)
			.jsonPath("$.invitations[1].notice").isEqualTo("MOVE")
			.jsonPath("$.invitations[2].sequence").isEqualTo(2)
			.jsonPath("$.invitations[2].notice").isEqualTo("CANCELLATION")
			.jsonPath("$.invitations[2].status").isEqualTo("SENT");
	}

	/** Attendees changed: the one removed gets a CANCEL naming only them, the one added an invitation at SEQUENCE 1. */
	@Test // #18
	void removedAndAddedAttendees() throws Exception {
		List<Person> people = attendees(3);
		Person stays = people.get(0);
		Person removed = people.get(1);
		Person added = people.get(2);
		UUID meetingId = UUID.randomUUID();
		publish(UUID.randomUUID().toString(),
				event(UUID.randomUUID().toString(), meetingId, "Planning", List.of(stays, removed)));
		awaitMails(List.of(stays, removed), 1);
		String updateId = UUID.randomUUID().toString();
		publish("meeting.updated", updateId, changed(updateId, "MeetingUpdated", meetingId, 1, "Planning",
				"2026-12-01T10:00:00+09:00", "2026-12-01T11:00:00+09:00", "[\"attendees\"]", List.of(stays, added),
				List.of(added), List.of(removed)));
		awaitMails(people, 2, 2, 1);

		assertThat(mailTo(stays.email()).get(1).getSubject()).isEqualTo("Updated: Planning");
		String cancel = ics(mailTo(removed.email()).get(1));
		assertThat(cancel).contains("METHOD:CANCEL", "SEQUENCE:1", "STATUS:CANCELLED", removed.email())
			.doesNotContain(stays.email());
		MimeMessage invitation = mailTo(added.email()).get(0);
		assertThat(invitation.getSubject()).isEqualTo("Invitation: Planning");
		assertThat(ics(invitation)).contains("METHOD:REQUEST", "SEQUENCE:1", stays.email(), added.email())
			.doesNotContain(removed.email());
	}

	/**
	 * Out of order and twice: sequence 2 arrives first, then 1, then 2 again, then the MeetingCreated. Each attendee
	 * gets exactly one mail, SEQUENCE:2: nothing older follows it, and nothing is mailed twice.
	 */
	@Test // #18
	void lateAndRepeatedEventsNeverMailAnOlderState() throws Exception {
		List<Person> people = attendees(2);
		UUID meetingId = UUID.randomUUID();
		String second = UUID.randomUUID().toString();
		String secondEvent = changed(second, "MeetingUpdated", meetingId, 2, "Retro (new title)", MOVED_START,
				MOVED_END, "[\"title\"]", people, List.of(), List.of());
		publish("meeting.updated", second, secondEvent);
		awaitMails(people, 1);
		String first = UUID.randomUUID().toString();
		publish("meeting.updated", first, changed(first, "MeetingUpdated", meetingId, 1, "Retro", MOVED_START,
				MOVED_END, "[\"startAt\",\"endAt\"]", people, List.of(), List.of()));
		publish("meeting.updated", second, secondEvent);
		publish(UUID.randomUUID().toString(), event(UUID.randomUUID().toString(), meetingId, "Retro", people));
		awaitDrained(QUEUE);
		awaitDrained(CHANGES_QUEUE);

		for (Person person : people) {
			List<MimeMessage> mails = mailTo(person.email());
			assertThat(mails).hasSize(1);
			assertThat(ics(mails.get(0))).contains("SEQUENCE:2", "SUMMARY:Retro (new title)");
		}
		assertThat(deliveries(meetingId).values()).allSatisfy((row) -> assertThat(row.status()).isEqualTo("SUPERSEDED"));
	}

	/**
	 * The SMTP server away while a reschedule is mailed: one attempt per delivery of the change finds it away, the
	 * row stays PENDING and the change goes back to the queue; once the server is back, each attendee gets the
	 * SEQUENCE:1 mail once, and the row is SENT.
	 */
	@Test // #18
	void aChangeMailOutlivesAnSmtpOutage() throws Exception {
		List<Person> people = attendees(2);
		UUID meetingId = UUID.randomUUID();
		publish(UUID.randomUUID().toString(), event(UUID.randomUUID().toString(), meetingId, "Standup", people));
		awaitMails(people, 1);
		smtp.down();
		try {
			String updateId = UUID.randomUUID().toString();
			publish("meeting.updated", updateId, changed(updateId, "MeetingUpdated", meetingId, 1, "Standup",
					MOVED_START, MOVED_END, "[\"startAt\",\"endAt\"]", people, List.of(), List.of()));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> this.http.get()
				.uri("/api/meetings/" + meetingId + "/invitations")
				.exchange()
				.expectStatus().isOk()
				.expectBody()
				.jsonPath("$.invitations[1].sequence").isEqualTo(1)
				.jsonPath("$.invitations[1].status").isEqualTo("PENDING")
				.jsonPath("$.invitations[1].attempts").value((attempts) -> assertThat((Integer) attempts).isPositive()));
		}
		finally {
			smtp.up();
		}
		awaitMails(people, 2);
		awaitDrained(CHANGES_QUEUE);
		for (Person person : people) {
			List<MimeMessage> mails = mailTo(person.email());
			assertThat(mails).hasSize(2);
			assertThat(ics(mails.get(1))).contains("METHOD:REQUEST", "SEQUENCE:1", "DTSTART:20261202T060000Z");
		}
		this.http.get().uri("/api/meetings/" + meetingId + "/invitations").exchange()
			.expectBody()
			.jsonPath("$.invitations[1].status").isEqualTo("SENT")
			.jsonPath("$.invitations[3].status").isEqualTo("SENT");
	}

	private static void awaitMails(List<Person> people, int count) {
		awaitMails(people, people.stream().mapToInt((p) -> count).toArray());
	}

	private static void awaitMails(List<Person> people, int... counts) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			for (int i = 0; i < people.size(); i++) {
				assertThat(mailTo(people.get(i).email())).as(people.get(i).email()).hasSize(counts[i]);
			}
		});
	}

	private static void awaitDrained(String queue) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
			.until(() -> TestStack.get().isRabbitMq() ? readyAndUnacked(queue) == 0 : readyMessages(queue) == 0);
	}

	/** The calendar part, unfolded. */
	private static String ics(MimeMessage message) throws Exception {
		BodyPart part = calendarPart(message);
		return new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n ", "");
	}

	static String changed(String eventId, String type, UUID meetingId, int sequence, String title, String startAt,
			String endAt, String changed, List<Person> attendees, List<Person> added, List<Person> removed) {
		return """
				{"eventId":"%s","type":"%s","occurredAt":"2026-11-21T08:00:00Z","meetingId":"%s","sequence":%d,
				 "title":"%s","startAt":"%s","endAt":"%s","location":"Room 3F-A","organizerId":"u-organizer",
				 "status":"%s","changed":%s,"attendees":%s,"added":%s,"removed":%s}"""
			.formatted(eventId, type, meetingId, sequence, title, startAt, endAt,
					type.equals("MeetingCancelled") ? "cancelled" : "scheduled", (changed != null) ? changed : "null",
					people(attendees), people(added), people(removed));
	}

	private static String people(List<Person> people) {
		if (people == null) {
			return "null";
		}
		return people.stream()
			.map((p) -> "{\"userId\":\"%s\",\"name\":\"%s\",\"email\":\"%s\"}".formatted(p.userId(), p.name(),
					p.email()))
			.collect(Collectors.joining(",", "[", "]"));
	}

}
