package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InvitationDeliveryIntegrationTests extends NotifierIntegrationTest {

	@Autowired
	WebTestClient http;

	/** 3 attendees → 3 invitations to the right addresses, each with a parsable REQUEST calendar; rows SENT; acked. */
	@Test
	void everyAttendeeGetsACalendarInvitation() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);

		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Design review", people));

		awaitAllSettled(meetingId, 3, Duration.ofSeconds(30));
		assertThat(deliveries(meetingId).values()).extracting(Row::status).containsOnly("SENT");
		for (Person person : people) {
			List<MimeMessage> mail = mailTo(person.email());
			assertThat(mail).hasSize(1);
			MimeMessage message = mail.get(0);
			assertThat(message.getSubject()).isEqualTo("Invitation: Design review");
			assertThat(message.getFrom()[0].toString()).contains("invitations@meetings.local");
			BodyPart calendarPart = calendarPart(message);
			assertThat(calendarPart).as("text/calendar part").isNotNull();
			assertThat(calendarPart.getContentType().replace("\"", "").toLowerCase()).contains("text/calendar")
				.contains("method=request");
			Calendar calendar = parse(calendarPart);
			assertThat(calendar.getProperty(Property.METHOD).orElseThrow().getValue()).isEqualTo("REQUEST");
			VEvent meeting = (VEvent) calendar.getComponent("VEVENT").orElseThrow();
			assertThat(meeting.getProperty(Property.UID).orElseThrow().getValue())
				.isEqualTo(meetingId + "@meetings.seed");
			assertThat(meeting.getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo("20261201T010000Z");
			assertThat(meeting.getProperty(Property.DTEND).orElseThrow().getValue()).isEqualTo("20261201T020000Z");
			assertThat(meeting.getProperty(Property.LOCATION).orElseThrow().getValue()).isEqualTo("Room 3F-A");
			List<Property> invited = meeting.getProperties(Property.ATTENDEE);
			assertThat(invited).extracting(Property::getValue)
				.containsExactlyInAnyOrderElementsOf(people.stream().map((p) -> "mailto:" + p.email()).toList());
		}
		awaitQueueDrained();
		assertThat(readyMessages(QUEUE)).isZero();
	}

	/** The same event delivered twice sends each attendee one invitation, not two. */
	@Test
	void duplicateEventSendsNothingTwice() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);
		String body = event("e-" + meetingId, meetingId, "Weekly sync", people);

		publish("e-" + meetingId, body);
		awaitAllSettled(meetingId, 3, Duration.ofSeconds(30));
		publish("e-" + meetingId, body);
		awaitQueueDrained();

		for (Person person : people) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		assertThat(deliveries(meetingId).values()).extracting(Row::status, Row::attempts)
			.containsOnly(org.assertj.core.groups.Tuple.tuple("SENT", 1));
	}

	/** Unreadable messages are parked in the DLQ with a reason, and the next good message is still processed. */
	@Test
	void malformedMessageIsParkedAndConsumingGoesOn() throws Exception {
		long parkedBefore = readyMessages(DLQ);
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(2);
		String noAttendees = """
				{"eventId":"e-bad-2","type":"MeetingCreated","meetingId":"%s","title":"x",
				 "startAt":"2026-12-01T10:00:00Z","endAt":"2026-12-01T11:00:00Z"}""".formatted(UUID.randomUUID());

		publish("e-bad-1", "{this is not json");
		publish("e-bad-2", noAttendees);
		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "After the poison", people));

		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));
		assertThat(mailTo(people.get(0).email())).hasSize(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> readyMessages(DLQ) == parkedBefore + 2);
		try (Channel channel = channel()) {
			Map<String, String> parked = new java.util.HashMap<>();
			GetResponse response;
			while ((response = channel.basicGet(DLQ, true)) != null) {
				parked.put(response.getProps().getMessageId(),
						String.valueOf(response.getProps().getHeaders().get("x-parked-reason")));
				if (response.getProps().getMessageId().equals("e-bad-1")) {
					assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("{this is not json");
					assertThat(response.getProps().getDeliveryMode()).isEqualTo(2);
				}
			}
			assertThat(parked).containsKeys("e-bad-1", "e-bad-2");
			assertThat(parked.get("e-bad-2")).contains("attendees");
		}
		awaitQueueDrained();
	}

	/** The invitations endpoint shows per-attendee status, 404 for an unknown meeting and 400 for a non-UUID. */
	@Test
	void invitationsEndpointShowsDeliveryStatus() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(2);
		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Status check", people));
		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));

		this.http.get()
			.uri("/api/meetings/{id}/invitations", meetingId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.meetingId").isEqualTo(meetingId.toString())
			.jsonPath("$.invitations.length()").isEqualTo(2)
			.jsonPath("$.invitations[0].userId").isEqualTo(people.get(0).userId())
			.jsonPath("$.invitations[0].email").isEqualTo(people.get(0).email())
			.jsonPath("$.invitations[0].status").isEqualTo("SENT")
			.jsonPath("$.invitations[0].attempts").isEqualTo(1)
			.jsonPath("$.invitations[0].updatedAt").isNotEmpty();
		this.http.get()
			.uri("/api/meetings/{id}/invitations", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.type").isEqualTo("about:blank")
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.detail").isNotEmpty();
		this.http.get()
			.uri("/api/meetings/{id}/invitations", "not-a-uuid")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("meetingId must be a UUID.")
			.jsonPath("$.type").isEqualTo("about:blank")
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.status").isEqualTo(400);
		// #21: Spring's own answers carry a type too
		this.http.post()
			.uri("/api/meetings/{id}/invitations", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.jsonPath("$.type").isEqualTo("about:blank")
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.status").isEqualTo(405)
			.jsonPath("$.detail").isNotEmpty();
	}

}
