package dev.seed.meetings.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** #18 through the gateway: reschedule with the ETag, the refusals, concurrent changes, cancel, and the mails. */
class LifecycleEndToEndTests extends EndToEndTest {

	private static final Logger log = LoggerFactory.getLogger(LifecycleEndToEndTests.class);

	private static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

	private static final String MOVE = "{\"startAt\":\"2026-12-02T15:00:00+09:00\",\"endAt\":\"2026-12-02T16:00:00+09:00\"}";

	@Test // #18
	void rescheduleAndCancelThroughTheGateway() throws Exception {
		String organizer = createUser("org");
		List<String> attendees = List.of(createUser("a"), createUser("b"));
		String meetingId = json.readTree(client.post().uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting("Lifecycle " + run, attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().valueEquals("ETag", "\"0\"")
			.expectBody().returnResult().getResponseBody()).get("meetingId").asString();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mailsTo(attendees)).isEqualTo(2));
		String etag = client.get().uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange().expectStatus().isOk()
			.returnResult(String.class).getResponseHeaders().getETag();
		assertThat(etag).isEqualTo("\"0\"");

		patch(meetingId, organizer, null).expectStatus().isEqualTo(HttpStatus.PRECONDITION_REQUIRED);
		patch(meetingId, attendees.get(0), etag).expectStatus().isForbidden();
		patch(meetingId, createUser("stranger"), etag).expectStatus().isNotFound();
		patch(meetingId, organizer, etag).expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"1\"")
			.expectBody().jsonPath("$.startAt").isEqualTo("2026-12-02T06:00:00Z");
		patch(meetingId, organizer, etag).expectStatus().isEqualTo(HttpStatus.PRECONDITION_FAILED)
			.expectHeader().valueEquals("ETag", "\"1\"");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mailsTo(attendees)).isEqualTo(4));
		client.delete().uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange().expectStatus().isNoContent();
		client.get().uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(organizer))
			.exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.status").isEqualTo("cancelled");
		patch(meetingId, organizer, "\"2\"").expectStatus().isEqualTo(HttpStatus.CONFLICT);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mailsTo(attendees)).isEqualTo(6));

		for (String attendee : attendees) {
			List<String> parts = calendarParts(attendee + "@example.com");
			assertThat(parts).hasSize(3);
			String uid = "UID:" + meetingId + "@meetings.seed";
			assertThat(parts.get(0)).contains("METHOD:REQUEST", "SEQUENCE:0", uid, "DTSTART:20261201T010000Z");
			assertThat(parts.get(1)).contains("METHOD:REQUEST", "SEQUENCE:1", uid, "DTSTART:20261202T060000Z");
			assertThat(parts.get(2)).contains("METHOD:CANCEL", "SEQUENCE:2", "STATUS:CANCELLED", uid);
		}
		List<String> parts = calendarParts(attendees.get(0) + "@example.com");
		log.info("Calendar parts {} received:\n--- booking ---\n{}\n--- reschedule ---\n{}\n--- cancellation ---\n{}",
				attendees.get(0), parts.get(0), parts.get(1), parts.get(2));
	}

	/** 20 PATCHes with the same ETag through the gateway at once: exactly one 200, the others 412. */
	@Test // #18
	void concurrentChangesThroughTheGateway() throws Exception {
		String organizer = createUser("org");
		String meetingId = json.readTree(client.post().uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting("Concurrent " + run, List.of(createUser("a"))))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody()).get("meetingId").asString();
		WebClient web = WebClient.create(system.gatewayUrl());
		String token = system.token(organizer);
		List<Integer> statuses = Flux.range(0, 20)
			.flatMap((i) -> web.patch().uri("/api/meetings/{id}", meetingId)
				.header("Authorization", "Bearer " + token)
				.header("If-Match", "\"0\"")
				.contentType(MERGE_PATCH)
				.bodyValue("{\"title\":\"Concurrent " + i + "\"}")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())), 20)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).hasSize(20);
		assertThat(statuses.stream().filter((status) -> status == 200)).hasSize(1);
		assertThat(statuses.stream().filter((status) -> status == 412)).hasSize(19);
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec patch(String meetingId,
			String caller, String ifMatch) {
		var request = client.patch().uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(caller))
			.contentType(MERGE_PATCH);
		if (ifMatch != null) {
			request = request.header("If-Match", ifMatch);
		}
		return request.bodyValue(MOVE).exchange();
	}

	/** The calendar parts of the mails to this address, oldest first, unfolded. */
	private static List<String> calendarParts(String address) throws Exception {
		List<String> parts = new ArrayList<>();
		for (MimeMessage message : system.mail.getReceivedMessages()) {
			if (((InternetAddress) message.getAllRecipients()[0]).getAddress().equals(address)) {
				BodyPart part = calendarPart(message);
				ByteArrayOutputStream bytes = new ByteArrayOutputStream();
				part.getInputStream().transferTo(bytes);
				parts.add(bytes.toString(StandardCharsets.UTF_8).replace("\r\n ", ""));
			}
		}
		return parts;
	}

	private static BodyPart calendarPart(Part part) throws Exception {
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart found = multipart.getBodyPart(i).isMimeType("text/calendar") ? multipart.getBodyPart(i)
						: calendarPart(multipart.getBodyPart(i));
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

}
