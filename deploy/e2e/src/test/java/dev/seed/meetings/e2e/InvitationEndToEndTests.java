package dev.seed.meetings.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The invited person through the gateway's real port: the mailed link, the page, the answer, and who hears of it. */
class InvitationEndToEndTests extends EndToEndTest {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+/invitations/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");

	/**
	 * Book A → [B, C]; B's mailed link opens the page without a token; B accepts; A sees B accepted and C not yet
	 * answered, and A's stream hears of it; a forged link is not found.
	 */
	@Test // #16
	void invitedPersonAnswersFromTheLink() throws Exception {
		String a = createUser("a");
		String b = createUser("b");
		String c = createUser("c");
		String title = "Invitation " + run;
		Flux<ServerSentEvent<String>> streamOfA = client.get()
			.uri("/api/meetings/stream")
			.header("Authorization", "Bearer " + system.token(a))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isOk()
			.returnResult(SSE)
			.getResponseBody();

		byte[] booked = client.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(a))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting(title, List.of(b, c)))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody();
		String meetingId = json.readTree(booked).get("meetingId").asString();

		await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(b, title) != null);
		String mailedLink = invitationLink(mailTo(b, title));
		// what the link must carry, per the shared contract; used until the mail carries it, checked against it at the end
		String token = (mailedLink != null) ? tokenOf(mailedLink) : token(UUID.fromString(meetingId), b);
		assertThat(token).isEqualTo(token(UUID.fromString(meetingId), b));

		client.get()
			.uri("/invitations/{token}", token)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).value((html) -> assertThat(html).contains(title));
		client.post()
			.uri("/api/invitations/{token}/response", token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("response", "accepted"))
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.attendee.response").isEqualTo("accepted");

		JsonNode seenByA = json.readTree(client.get()
			.uri("/api/meetings/{id}", meetingId)
			.header("Authorization", "Bearer " + system.token(a))
			.exchange()
			.expectStatus().isOk()
			.expectBody().returnResult().getResponseBody());
		Map<String, String> responses = new java.util.HashMap<>();
		seenByA.get("attendees").forEach((attendee) -> responses.put(attendee.get("userId").asString(),
				attendee.get("response").asString()));
		assertThat(responses).containsEntry(b, "accepted").containsEntry(c, "needs-action");

		streamOfA.filter((event) -> "InvitationAnswered".equals(event.event()) && event.data().contains(meetingId))
			.as(StepVerifier::create)
			.assertNext((event) -> {
				JsonNode data = json.readTree(event.data());
				assertThat(data.get("userId").asString()).isEqualTo(b);
				assertThat(data.get("response").asString()).isEqualTo("accepted");
			})
			.thenCancel()
			.verify(Duration.ofSeconds(30));

		client.get().uri("/invitations/{token}", token.substring(0, token.length() - 2) + "xx")
			.exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
		client.get().uri("/api/invitations/{token}", token(UUID.randomUUID(), b)).exchange().expectStatus().isNotFound();

		// the mail itself leads there, with no token of any other kind
		assertThat(mailedLink).as("B's invitation mail links to %s/invitations/{token}", system.gatewayUrl())
			.isEqualTo(system.gatewayUrl() + "/invitations/" + token);
		client.get().uri(java.net.URI.create(mailedLink))
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value((html) -> assertThat(html).contains(title).contains("accepted"));
	}

	/** The contract's token: the meeting id's 16 bytes and the user id, signed with HMAC-SHA256. */
	static String token(UUID meetingId, String userId) throws Exception {
		byte[] user = userId.getBytes(StandardCharsets.UTF_8);
		byte[] payload = ByteBuffer.allocate(16 + user.length)
			.putLong(meetingId.getMostSignificantBits())
			.putLong(meetingId.getLeastSignificantBits())
			.put(user)
			.array();
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String encoded = base64.encodeToString(payload);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(RunningSystem.INVITATION_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return encoded + "." + base64.encodeToString(mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII)));
	}

	private static String tokenOf(String link) {
		Matcher matcher = LINK.matcher(link);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static MimeMessage mailTo(String userId, String title) throws MessagingException, IOException {
		for (MimeMessage message : system.mail.getReceivedMessages()) {
			String to = ((InternetAddress) message.getAllRecipients()[0]).getAddress();
			if (to.equals(userId + "@example.com") && String.join("\n", texts(message)).contains(title)) {
				return message;
			}
		}
		return null;
	}

	/** The first invitation page link in the mail's decoded text parts, or null. */
	private static String invitationLink(MimeMessage message) throws MessagingException, IOException {
		for (String text : texts(message)) {
			Matcher matcher = LINK.matcher(text);
			if (matcher.find()) {
				return matcher.group();
			}
		}
		return null;
	}

	private static List<String> texts(Part part) throws MessagingException, IOException {
		List<String> texts = new ArrayList<>();
		Object content = part.getContent();
		if (content instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				texts.addAll(texts(child));
			}
		}
		else if (content instanceof String text) {
			texts.add(text);
		}
		return texts;
	}

}
