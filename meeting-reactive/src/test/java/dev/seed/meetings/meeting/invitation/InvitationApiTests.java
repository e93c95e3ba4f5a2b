package dev.seed.meetings.meeting.invitation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.meeting.cache.CacheKeys;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The invited person's link, page and API, the answers on the meeting and the stream, and who sees a meeting at all.
 */
class InvitationApiTests extends IntegrationTest {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@Autowired
	InvitationTokens tokens;

	@Autowired
	JsonMapper json;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@Autowired
	CacheKeys keys;

	@Value("${meeting.invitations.secret}")
	String secret;

	/** The token is the contract's: payload of the meeting id's bytes and the user id, HMAC-SHA256 over it. */
	@Test // #16
	void tokenIsTheSharedFormat() throws Exception {
		UUID meetingId = UUID.randomUUID();
		String token = this.tokens.issue(meetingId, "u-1002");

		byte[] user = "u-1002".getBytes(StandardCharsets.UTF_8);
		byte[] payload = ByteBuffer.allocate(16 + user.length)
			.putLong(meetingId.getMostSignificantBits())
			.putLong(meetingId.getLeastSignificantBits())
			.put(user)
			.array();
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String encoded = base64.encodeToString(payload);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(this.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = base64.encodeToString(mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII)));
		assertThat(token).isEqualTo(encoded + "." + signature);
		assertThat(this.tokens.verify(token)).contains(new InvitationTokens.Invitation(meetingId, "u-1002"));
	}

	/** A changed signature, another meeting's signature, another key's and junk are not invitations. */
	@Test // #16
	void forgedTokensAreRefused() {
		UUID meetingId = UUID.randomUUID();
		String token = this.tokens.issue(meetingId, "u-b");
		String other = this.tokens.issue(UUID.randomUUID(), "u-b");
		String payload = token.substring(0, token.indexOf('.'));
		char last = token.charAt(token.length() - 1);
		assertThat(this.tokens.verify(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
		assertThat(this.tokens.verify(payload + other.substring(other.indexOf('.')))).isEmpty();
		InvitationTokens otherKey = new InvitationTokens(new InvitationProperties("another-secret-of-at-least-32-bytes!!"));
		assertThat(this.tokens.verify(otherKey.issue(meetingId, "u-b"))).isEmpty();
		assertThat(this.tokens.verify("nothing")).isEmpty();
		assertThat(this.tokens.verify(payload)).isEmpty();
		assertThat(this.tokens.verify(token + ".x")).isEmpty();
		assertThat(this.tokens.verify("")).isEmpty();
	}

	/** The page shows the meeting in the attendee's zone, escaped, with the three buttons; a forged link a 404 page. */
	@Test // #16
	void pageShowsTheInvitation() {
		Party party = party("Review <b>&</b> plan");
		String html = this.direct.get()
			.uri("/invitations/{token}", party.tokenOf(party.b()))
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(html).contains("<title>Review &lt;b&gt;&amp;&lt;/b&gt; plan</title>")
			.doesNotContain("<b>&</b>")
			// 2027-03-01T10:00+09:00 in New York
			.contains("Sunday 28 February 2027, 20:00 – 21:00 (America/New_York)")
			.contains("Room 3F-A")
			.contains("Alice Organizer")
			.contains("Carol")
			.contains(">Accept</button>")
			.contains(">Tentative</button>")
			.contains(">Decline</button>")
			.doesNotContain("<script");

		String notFound = this.direct.get()
			.uri("/invitations/{token}", party.tokenOf(party.b()) + "x")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(notFound).contains("Invitation not found").doesNotContain("Exception");
	}

	/** GET gives the invitation in the invitee's zone, the organizer's when the invitee has none, with no emails. */
	@Test // #16
	void apiGivesTheInvitation() {
		Party party = party("Planning");
		this.direct.get()
			.uri("/api/invitations/{token}", party.tokenOf(party.b()))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.meetingId").isEqualTo(party.meetingId())
			.jsonPath("$.title").isEqualTo("Planning")
			.jsonPath("$.startAt").isEqualTo("2027-02-28T20:00:00-05:00")
			.jsonPath("$.endAt").isEqualTo("2027-02-28T21:00:00-05:00")
			.jsonPath("$.location").isEqualTo("Room 3F-A")
			.jsonPath("$.timezone").isEqualTo("America/New_York")
			.jsonPath("$.organizer.name").isEqualTo("Alice Organizer")
			.jsonPath("$.organizer.email").isEqualTo(party.a() + "@example.test")
			.jsonPath("$.attendee.userId").isEqualTo(party.b())
			.jsonPath("$.attendee.name").isEqualTo("Bob")
			.jsonPath("$.attendee.response").isEqualTo("needs-action")
			.jsonPath("$.attendees.length()").isEqualTo(1)
			.jsonPath("$.attendees[0].name").isEqualTo("Carol")
			.jsonPath("$.attendees[0].response").isEqualTo("needs-action")
			.jsonPath("$.attendees[0].email").doesNotExist();
		this.direct.get()
			.uri("/api/invitations/{token}", party.tokenOf(party.c()))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.timezone").isEqualTo("Europe/Paris")
			.jsonPath("$.startAt").isEqualTo("2027-03-01T02:00:00+01:00");
	}

	/**
	 * Answers are recorded (a second one replaces the first), shown on the meeting at once (its cached copy included),
	 * and each one is an InvitationAnswered in the outbox and on the broker.
	 */
	@Test // #16
	void answersAreRecordedAndPublished() throws Exception {
		Party party = party("Answered");
		// cached now: the answer must not leave a stale copy
		meeting(party.a(), party.meetingId()).expectStatus().isOk();
		try (EventQueue answers = new EventQueue("invitation.answered")) {
			answer(party.tokenOf(party.b()), "accepted").expectStatus().isOk()
				.expectBody()
				.jsonPath("$.attendee.response").isEqualTo("accepted")
				.jsonPath("$.attendees[0].response").isEqualTo("needs-action");
			meeting(party.a(), party.meetingId()).expectStatus().isOk()
				.expectBody()
				.jsonPath("$.attendees[0].userId").isEqualTo(party.b())
				.jsonPath("$.attendees[0].response").isEqualTo("accepted")
				.jsonPath("$.attendees[1].response").isEqualTo("needs-action");

			answer(party.tokenOf(party.b()), "tentative").expectStatus().isOk()
				.expectBody().jsonPath("$.attendee.response").isEqualTo("tentative");
			meeting(party.c(), party.meetingId()).expectStatus().isOk()
				.expectBody().jsonPath("$.attendees[0].response").isEqualTo("tentative");

			List<GetResponse> messages = answers.take(2, Duration.ofSeconds(5));
			assertThat(messages).hasSize(2);
			JsonNode first = this.json.readTree(EventQueue.body(messages.get(0)));
			assertThat(messages.get(0).getProps().getType()).isEqualTo("InvitationAnswered");
			assertThat(messages.get(0).getProps().getMessageId()).isEqualTo(first.get("eventId").asString());
			assertThat(first.get("type").asString()).isEqualTo("InvitationAnswered");
			assertThat(first.get("occurredAt").asString()).endsWith("Z");
			assertThat(first.get("meetingId").asString()).isEqualTo(party.meetingId());
			assertThat(first.get("userId").asString()).isEqualTo(party.b());
			assertThat(first.get("response").asString()).isEqualTo("accepted");
			assertThat(this.json.readTree(EventQueue.body(messages.get(1))).get("response").asString())
				.isEqualTo("tentative");
		}
		// the confirmed rows are marked published together, every meeting.outbox.mark-interval
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count(
				"SELECT count(*) FROM meeting.outbox WHERE routing_key = 'invitation.answered' "
						+ "AND published_at IS NOT NULL AND payload LIKE '%" + party.meetingId() + "%'"))
			.isEqualTo(2));
		assertThat(count("SELECT count(*) FROM meeting.meeting_attendees WHERE meeting_id = '" + party.meetingId()
				+ "' AND response = 'tentative'")).isEqualTo(1);
	}

	/** The page's form records the answer too, then sends the browser back to the page. */
	@Test // #16
	void pageFormAnswers() {
		Party party = party("Form");
		String token = party.tokenOf(party.c());
		this.direct.post()
			.uri("/invitations/{token}", token)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("response=declined")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SEE_OTHER)
			.expectHeader().valueEquals("Location", "/invitations/" + token);
		this.direct.get().uri("/invitations/{token}", token).exchange()
			.expectStatus().isOk()
			.expectBody(String.class).value((html) -> assertThat(html).contains("<dd id=\"response\">declined</dd>"));
	}

	/** Another value is a 400 problem, an unknown token a 404 problem, and nothing is recorded or published. */
	@Test // #16
	void badAnswersAndUnknownTokens() throws Exception {
		Party party = party("Refused");
		answer(party.tokenOf(party.b()), "maybe").expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("response");
		answer(party.tokenOf(party.b()), "needs-action").expectStatus().isBadRequest();
		answer(party.tokenOf(party.b()) + "x", "accepted").expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.direct.get().uri("/api/invitations/{token}", "forged.token").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Invitation not found");
		// a genuine token of someone who is not an attendee
		this.direct.get().uri("/api/invitations/{token}", party.tokenOf(party.a())).exchange()
			.expectStatus().isNotFound();
		assertThat(count("SELECT count(*) FROM meeting.outbox WHERE routing_key = 'invitation.answered' "
				+ "AND payload LIKE '%" + party.meetingId() + "%'")).isZero();
	}

	/** A valid token stops working when its meeting is deleted. */
	@Test // #16
	void tokenOfADeletedMeetingIsNotFound() throws Exception {
		Party party = party("Deleted");
		String token = party.tokenOf(party.b());
		this.direct.get().uri("/api/invitations/{token}", token).exchange().expectStatus().isOk();
		try (Connection jdbc = TestStack.get().openJdbc()) {
			jdbc.createStatement().executeUpdate("DELETE FROM meeting.meetings WHERE id = '" + party.meetingId() + "'");
		}
		// the cached copy may outlive the row for its TTL: the answer must not
		answer(token, "accepted").expectStatus().isNotFound();
		this.redis.delete(this.keys.meetingInfo(UUID.fromString(party.meetingId())))
			.as(StepVerifier::create).expectNextCount(1).verifyComplete();
		this.direct.get().uri("/api/invitations/{token}", token).exchange().expectStatus().isNotFound();
		this.direct.get().uri("/invitations/{token}", token).exchange().expectStatus().isNotFound();
	}

	/**
	 * D, invited to nothing, gets 404 for the meeting as for no meeting, does not see it in the listing, and their
	 * stream gets none of its events while the organizer's and an attendee's get all of them; an operator sees it.
	 */
	@Test // #16
	void onlyParticipantsSeeAMeeting() {
		String d = users.newUser("Dave", "UTC");
		String a = users.newUser("Alice Organizer", "Europe/Paris");
		String b = users.newUser("Bob", "America/New_York");
		String c = users.newUser("Carol", null);
		Flux<ServerSentEvent<String>> forA = events(stream(this.http, a));
		Flux<ServerSentEvent<String>> forB = events(stream(this.http, b));
		Flux<ServerSentEvent<String>> forD = events(stream(this.http, d));
		Flux<ServerSentEvent<String>> forAdmin = events(stream(this.admin, null));
		String meetingId = book(a, "Private", List.of(b, c));
		answer(this.tokens.issue(UUID.fromString(meetingId), b), "accepted").expectStatus().isOk();
		// D's own meeting afterwards: had D been sent anything of the private one, it would come first
		String ofD = book(a, "D's", List.of(d));

		for (Flux<ServerSentEvent<String>> stream : List.of(forA, forB)) {
			stream.filter((event) -> event.data().contains(meetingId))
				.as(StepVerifier::create)
				.assertNext((event) -> assertThat(event.event()).isEqualTo("MeetingCreated"))
				.assertNext((event) -> {
					assertThat(event.event()).isEqualTo("InvitationAnswered");
					JsonNode data = this.json.readTree(event.data());
					assertThat(data.get("userId").asString()).isEqualTo(b);
					assertThat(data.get("response").asString()).isEqualTo("accepted");
				})
				.thenCancel()
				.verify(Duration.ofSeconds(10));
		}
		forAdmin.filter((event) -> event.data().contains(meetingId))
			.as(StepVerifier::create)
			.assertNext((event) -> assertThat(event.event()).isEqualTo("MeetingCreated"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		forD.as(StepVerifier::create)
			.assertNext((event) -> assertThat(this.json.readTree(event.data()).get("meetingId").asString())
				.isEqualTo(ofD))
			.thenCancel()
			.verify(Duration.ofSeconds(10));

		meeting(d, meetingId).expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Meeting not found");
		meeting(null, meetingId).expectStatus().isNotFound();
		meeting(c, meetingId).expectStatus().isOk();
		this.admin.get().uri("/api/meetings/{id}", meetingId).exchange().expectStatus().isOk();

		String window = "/api/meetings?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z";
		assertThat(listed(this.http, d, window)).contains(ofD).doesNotContain(meetingId);
		assertThat(listed(this.http, a, window)).contains(ofD, meetingId);
		assertThat(listed(this.http, c, window)).contains(meetingId).doesNotContain(ofD);
		assertThat(listed(this.admin, null, window)).contains(ofD, meetingId);
		assertThat(listed(this.http, null, window)).isEqualTo("[]");
	}

	/** The admin scope, like the caller, counts only next to the gateway's token. */
	@Test // #16
	void adminScopeNeedsTheGateway() {
		this.direct.get()
			.uri("/api/meetings/{id}", UUID.randomUUID())
			.header("X-User-Scopes", "meetings:admin")
			.exchange()
			.expectStatus().isForbidden();
	}

	/**
	 * The invitation shows the meeting as it now is: an answer leaves its version alone, a new time shows and sets
	 * the answer back; once cancelled, the page and the API say so and an answer is a 409 problem.
	 */
	@Test // #18
	void invitationFollowsChangesAndCancellation() {
		Party party = party("Moving target");
		String token = party.tokenOf(party.b());
		answer(token, "accepted").expectStatus().isOk();
		meeting(party.a(), party.meetingId()).expectStatus().isOk().expectHeader().valueEquals("ETag", "\"0\"");

		this.http.patch()
			.uri("/api/meetings/{id}", party.meetingId())
			.header("X-User-Id", party.a())
			.header("If-Match", "\"0\"")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("startAt", "2027-03-02T10:00:00+09:00", "endAt", "2027-03-02T11:00:00+09:00"))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"1\"");
		this.direct.get()
			.uri("/api/invitations/{token}", token)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.startAt").isEqualTo("2027-03-01T20:00:00-05:00")
			.jsonPath("$.status").isEqualTo("scheduled")
			.jsonPath("$.attendee.response").isEqualTo("needs-action");

		this.http.delete()
			.uri("/api/meetings/{id}", party.meetingId())
			.header("X-User-Id", party.a())
			.exchange()
			.expectStatus().isNoContent();
		this.direct.get()
			.uri("/api/invitations/{token}", token)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("cancelled");
		String html = this.direct.get()
			.uri("/invitations/{token}", token)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(html).contains("This meeting was cancelled.").doesNotContain(">Accept</button>");
		answer(token, "declined").expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Meeting cancelled")
			.jsonPath("$.type").isEqualTo("about:blank");
		this.direct.get()
			.uri("/api/invitations/{token}", token)
			.exchange()
			.expectBody()
			.jsonPath("$.attendee.response").isEqualTo("needs-action");
	}

	private Party party(String title) {
		String a = users.newUser("Alice Organizer", "Europe/Paris");
		String b = users.newUser("Bob", "America/New_York");
		String c = users.newUser("Carol", null);
		String meetingId = book(a, title, List.of(b, c));
		return new Party(this.tokens, meetingId, a, b, c);
	}

	private String book(String organizer, String title, List<String> attendees) {
		Map<String, Object> meeting = Map.of("title", title, "startAt", "2027-03-01T10:00:00+09:00", "endAt",
				"2027-03-01T11:00:00+09:00", "location", "Room 3F-A", "attendees", attendees);
		Map<?, ?> body = this.http.post()
			.uri("/api/meetings")
			.header("X-User-Id", organizer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting)
			.exchange()
			.expectStatus().isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) body.get("meetingId");
	}

	private WebTestClient.ResponseSpec answer(String token, String response) {
		return this.direct.post()
			.uri("/api/invitations/{token}/response", token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("response", response))
			.exchange();
	}

	private WebTestClient.ResponseSpec meeting(String caller, String meetingId) {
		return this.http.get()
			.uri("/api/meetings/{id}", meetingId)
			.headers((headers) -> {
				if (caller != null) {
					headers.set("X-User-Id", caller);
				}
			})
			.exchange();
	}

	private String listed(WebTestClient client, String caller, String uri) {
		return client.get()
			.uri(uri)
			.headers((headers) -> {
				if (caller != null) {
					headers.set("X-User-Id", caller);
				}
			})
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static Flux<ServerSentEvent<String>> stream(WebTestClient client, String caller) {
		return client.get()
			.uri("/api/meetings/stream")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				if (caller != null) {
					headers.set("X-User-Id", caller);
				}
			})
			.exchange()
			.expectStatus().isOk()
			.returnResult(SSE)
			.getResponseBody();
	}

	/** Without the heartbeat comments. */
	private static Flux<ServerSentEvent<String>> events(Flux<ServerSentEvent<String>> stream) {
		return stream.filter((event) -> event.event() != null);
	}

	private static long count(String sql) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc();
				java.sql.ResultSet rows = jdbc.createStatement().executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/** A meeting booked by A (Europe/Paris) with B (America/New_York) and C (no zone). */
	private record Party(InvitationTokens tokens, String meetingId, String a, String b, String c) {

		String tokenOf(String userId) {
			return this.tokens.issue(UUID.fromString(this.meetingId), userId);
		}

	}

}
