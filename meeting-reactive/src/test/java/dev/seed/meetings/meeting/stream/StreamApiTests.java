package dev.seed.meetings.meeting.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

class StreamApiTests extends IntegrationTest {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Object>> LINE = new ParameterizedTypeReference<>() {
	};

	@Autowired
	JsonMapper json;

	@Autowired
	LiveEventHub hub;

	/** Two subscribers, one SSE and one NDJSON, both see the MeetingCreated of a booking made after they connected. */
	@Test
	void twoSubscribersSeeABooking() {
		List<String> ids = users.newUsers(2);
		Flux<ServerSentEvent<String>> sse = sse("/api/meetings/stream", null);
		Flux<Map<String, Object>> lines = this.admin.get()
			.uri("/api/meetings/stream")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
			.returnResult(LINE)
			.getResponseBody();

		String meetingId = book(ids);

		sse.filter((event) -> event.data() != null && event.data().contains(meetingId))
			.as(StepVerifier::create)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("MeetingCreated");
				assertThat(event.id()).matches("[0-9a-f]{8}-[0-9]+");
				JsonNode data = this.json.readTree(event.data());
				assertThat(data.get("meetingId").asString()).isEqualTo(meetingId);
				assertThat(data.get("attendees")).hasSize(2);
			})
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		lines.filter((line) -> meetingId.equals(line.get("meetingId")))
			.as(StepVerifier::create)
			.assertNext((line) -> {
				assertThat(line.get("type")).isEqualTo("MeetingCreated");
				assertThat(line.get("title")).isEqualTo("Streamed");
			})
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/** #18: a change and a cancellation follow the booking on the stream; the removed attendee's filter sees the change. */
	@Test // #18
	void changesAreStreamed() {
		List<String> ids = users.newUsers(3);
		String removed = ids.get(1);
		Flux<ServerSentEvent<String>> forRemoved = sse("/api/meetings/stream?attendee={a}", null, removed);
		Flux<ServerSentEvent<String>> forStays = sse("/api/meetings/stream?attendee={a}", null, ids.get(0));
		Map<?, ?> body = this.http.post().uri("/api/meetings").header("X-User-Id", "u-streaming-organizer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Streamed", ids.subList(0, 2)))
			.exchange().expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody();
		String meetingId = (String) body.get("meetingId");
		this.http.patch().uri("/api/meetings/" + meetingId).header("X-User-Id", "u-streaming-organizer")
			.header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"attendees\":[\"" + ids.get(0) + "\",\"" + ids.get(2) + "\"]}")
			.exchange().expectStatus().isOk();
		this.http.delete().uri("/api/meetings/" + meetingId).header("X-User-Id", "u-streaming-organizer")
			.exchange().expectStatus().isNoContent();

		forRemoved.filter((event) -> event.data() != null && event.data().contains(meetingId))
			.as(StepVerifier::create)
			.assertNext((event) -> assertThat(event.event()).isEqualTo("MeetingCreated"))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("MeetingUpdated");
				JsonNode data = this.json.readTree(event.data());
				assertThat(data.get("sequence").asInt()).isEqualTo(1);
				assertThat(data.get("removed").get(0).get("userId").asString()).isEqualTo(removed);
			})
			.thenCancel()
			.verify(Duration.ofSeconds(15));
		forStays.filter((event) -> event.data() != null && event.data().contains(meetingId))
			.map(ServerSentEvent::event)
			.as(StepVerifier::create)
			.expectNext("MeetingCreated", "MeetingUpdated", "MeetingCancelled")
			.thenCancel()
			.verify(Duration.ofSeconds(15));
	}

	/**
	 * Only participants: the organizer's own stream has the booking, the change and the cancellation; the attendee a
	 * change removed sees the booking and that change, not what follows; the one it added, the change and after.
	 */
	@Test // #18
	void changesReachTheirParticipantsOnly() {
		List<String> ids = users.newUsers(3);
		String organizer = "u-participant-organizer-" + UUID.randomUUID();
		Flux<ServerSentEvent<String>> asOrganizer = sseAs(organizer);
		Flux<ServerSentEvent<String>> asRemoved = sseAs(ids.get(1));
		Flux<ServerSentEvent<String>> asAdded = sseAs(ids.get(2));
		Map<?, ?> body = this.http.post().uri("/api/meetings").header("X-User-Id", organizer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Participants", ids.subList(0, 2)))
			.exchange().expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody();
		String meetingId = (String) body.get("meetingId");
		this.http.patch().uri("/api/meetings/" + meetingId).header("X-User-Id", organizer)
			.header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"attendees\":[\"" + ids.get(0) + "\",\"" + ids.get(2) + "\"]}")
			.exchange().expectStatus().isOk();
		this.http.delete().uri("/api/meetings/" + meetingId).header("X-User-Id", organizer)
			.exchange().expectStatus().isNoContent();
		// the organizer's next booking, without the removed attendee: once it shows, nothing of the first is pending
		Map<?, ?> next = this.http.post().uri("/api/meetings").header("X-User-Id", organizer)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Participants, later", List.of(ids.get(0))))
			.exchange().expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody();
		String nextId = (String) next.get("meetingId");

		asOrganizer.filter((event) -> event.data() != null && event.data().contains(meetingId))
			.map(ServerSentEvent::event)
			.as(StepVerifier::create)
			.expectNext("MeetingCreated", "MeetingUpdated", "MeetingCancelled")
			.thenCancel()
			.verify(Duration.ofSeconds(15));
		asRemoved.filter((event) -> event.data() != null
				&& (event.data().contains(meetingId) || event.data().contains(nextId)))
			.map(ServerSentEvent::event)
			.as(StepVerifier::create)
			.expectNext("MeetingCreated", "MeetingUpdated")
			.expectNoEvent(Duration.ofSeconds(2))
			.thenCancel()
			.verify(Duration.ofSeconds(20));
		asAdded.filter((event) -> event.data() != null && event.data().contains(meetingId))
			.map(ServerSentEvent::event)
			.as(StepVerifier::create)
			.expectNext("MeetingUpdated", "MeetingCancelled")
			.thenCancel()
			.verify(Duration.ofSeconds(15));
	}

	/** The SSE response starts with a heartbeat comment, and the NDJSON one with a heartbeat line. */
	@Test
	void heartbeatsStartTheResponse() {
		sse("/api/meetings/stream", null).as(StepVerifier::create)
			.assertNext((event) -> {
				assertThat(event.comment()).isEqualTo("heartbeat");
				assertThat(event.event()).isNull();
			})
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/** An InvitationSent from the broker reaches the subscriber filtered by its attendee and not another attendee's. */
	@Test
	void attendeeFilter() throws Exception {
		String mine = "u-" + UUID.randomUUID();
		String other = "u-" + UUID.randomUUID();
		Flux<ServerSentEvent<String>> forMine = events(sse("/api/meetings/stream?attendee={a}", null, mine));
		Flux<ServerSentEvent<String>> forOther = events(sse("/api/meetings/stream?attendee={a}", null, other));
		String meetingId = UUID.randomUUID().toString();
		String first;
		String second;
		try (BrokerPublisher broker = new BrokerPublisher()) {
			first = broker.invitationSent(meetingId, mine);
			second = broker.invitationSent(meetingId, other);
		}

		forMine.as(StepVerifier::create)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("InvitationSent");
				JsonNode data = this.json.readTree(event.data());
				assertThat(data.get("eventId").asString()).isEqualTo(first);
				assertThat(data.get("userId").asString()).isEqualTo(mine);
				assertThat(data.get("attempts").asInt()).isEqualTo(1);
			})
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		// published first, so had it passed the other filter it would come before the other attendee's own event
		forOther.as(StepVerifier::create)
			.assertNext((event) -> assertThat(this.json.readTree(event.data()).get("eventId").asString())
				.isEqualTo(second))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/** Reconnecting with Last-Event-ID replays exactly the events missed meanwhile, in order, then goes on live. */
	@Test
	void lastEventIdResumes() throws Exception {
		String attendee = "u-" + UUID.randomUUID();
		String meetingId = UUID.randomUUID().toString();
		String path = "/api/meetings/stream?attendee={a}";
		// a second subscriber, connected all along, shows when the hub has the missed events
		Flux<ServerSentEvent<String>> witness = events(sse(path, null, attendee));
		List<String> eventIds = new ArrayList<>();
		try (BrokerPublisher broker = new BrokerPublisher()) {
			Flux<ServerSentEvent<String>> first = events(sse(path, null, attendee));
			eventIds.add(broker.invitationSent(meetingId, attendee));
			String[] lastId = new String[1];
			first.as(StepVerifier::create)
				.assertNext((event) -> lastId[0] = event.id())
				.thenCancel()
				.verify(Duration.ofSeconds(10));

			eventIds.add(broker.invitationSent(meetingId, attendee));
			eventIds.add(broker.invitationSent(meetingId, attendee));
			witness.as(StepVerifier::create).expectNextCount(3).thenCancel().verify(Duration.ofSeconds(10));

			Flux<ServerSentEvent<String>> resumed = events(sse(path, lastId[0], attendee));
			List<String> ids = new ArrayList<>();
			String[] live = new String[1];
			resumed.as(StepVerifier::create)
				.assertNext((event) -> {
					ids.add(event.id());
					assertThat(eventIdOf(event)).isEqualTo(eventIds.get(1));
				})
				.assertNext((event) -> {
					ids.add(event.id());
					assertThat(eventIdOf(event)).isEqualTo(eventIds.get(2));
				})
				.then(() -> publishQuietly(broker, meetingId, attendee, eventIds))
				// compared below: the event may arrive before the publisher has returned its id
				.assertNext((event) -> {
					ids.add(event.id());
					live[0] = eventIdOf(event);
				})
				.thenCancel()
				.verify(Duration.ofSeconds(10));
			assertThat(live[0]).isEqualTo(eventIds.get(3));
			assertThat(ids).doesNotContain(lastId[0]).doesNotHaveDuplicates();
		}
	}

	/** A Last-Event-ID this instance cannot resume from gets an expired notice first, then live events. */
	@Test
	void unknownLastEventIdSaysExpired() throws Exception {
		String attendee = "u-" + UUID.randomUUID();
		Flux<ServerSentEvent<String>> stream = events(sse("/api/meetings/stream?attendee={a}", "0badc0de-42", attendee));
		String eventId;
		try (BrokerPublisher broker = new BrokerPublisher()) {
			eventId = broker.invitationSent(UUID.randomUUID().toString(), attendee);
		}
		stream.as(StepVerifier::create)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("expired");
				assertThat(event.id()).isNull();
				assertThat(this.json.readTree(event.data()).get("lastEventId").asString()).isEqualTo("0badc0de-42");
			})
			.assertNext((event) -> assertThat(eventIdOf(event)).isEqualTo(eventId))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/**
	 * A subscriber that reads nothing is dropped once its buffer is full: it gets the buffer, a final notice and the
	 * end; another subscriber gets every event.
	 */
	@Test
	void slowSubscriberIsDroppedOthersGoOn() throws Exception {
		String attendee = "u-" + UUID.randomUUID();
		int buffer = 8;
		int published = 30;
		StepVerifier keepsUp = this.hub.subscribe(null, (event) -> event.userIds().contains(attendee), buffer)
			.as(StepVerifier::create)
			.expectNextCount(published)
			.thenCancel()
			.verifyLater();
		this.hub.subscribe(null, (event) -> event.userIds().contains(attendee), buffer)
			.as((flux) -> StepVerifier.create(flux, 0))
			.expectSubscription()
			.then(() -> {
				try (BrokerPublisher broker = new BrokerPublisher()) {
					for (int i = 0; i < published; i++) {
						broker.invitationSent(UUID.randomUUID().toString(), attendee);
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})
			.then(() -> keepsUp.verify(Duration.ofSeconds(10)))
			.thenRequest(Long.MAX_VALUE)
			.expectNextCount(buffer)
			.assertNext((event) -> {
				assertThat(event.type()).isEqualTo("dropped");
				assertThat(event.data().get("buffer").asInt()).isEqualTo(buffer);
			})
			.verifyComplete();
	}

	/**
	 * Stopping the live stream ends its streams; the events published as soon as it has started again all reach a
	 * stream subscribed by then.
	 */
	@Test
	void eventsPublishedRightAfterAStartAreStreamed() throws Exception {
		String attendee = "u-" + UUID.randomUUID();
		int published = 30;
		try (BrokerPublisher broker = new BrokerPublisher()) {
			// once, so that the first one published after the start has no connection or class to wait for
			broker.invitationSent(UUID.randomUUID().toString(), "u-" + UUID.randomUUID());
			StepVerifier ended = this.hub.subscribe(null, (event) -> true, published)
				.as(StepVerifier::create)
				.thenConsumeWhile((event) -> true)
				.expectComplete()
				.verifyLater();
			this.hub.stop();
			ended.verify(Duration.ofSeconds(5));
			this.hub.start();
			StepVerifier all = this.hub.subscribe(null, (event) -> event.userIds().contains(attendee), published)
				.as(StepVerifier::create)
				.expectNextCount(published)
				.thenCancel()
				.verifyLater();
			for (int i = 0; i < published; i++) {
				broker.invitationSent(UUID.randomUUID().toString(), attendee);
			}
			all.verify(Duration.ofSeconds(10));
		}
	}

	/**
	 * An invitation event of a meeting whose MeetingCreated this instance never saw goes to that meeting's
	 * participants only, looked up in the database, and never to anyone else.
	 */
	@Test // #16
	void eventsOfAnUnseenMeetingGoToItsParticipantsOnly() throws Exception {
		String organizer = "u-" + UUID.randomUUID();
		String attendee = "u-" + UUID.randomUUID();
		String outsider = "u-" + UUID.randomUUID();
		String unseen = insertMeeting(organizer, attendee);
		String outsiders = insertMeeting(organizer, outsider);
		Flux<ServerSentEvent<String>> forOrganizer = events(sseAs(organizer));
		Flux<ServerSentEvent<String>> forOutsider = events(sseAs(outsider));
		String sent;
		String marker;
		try (BrokerPublisher broker = new BrokerPublisher()) {
			sent = broker.invitationSent(unseen, attendee);
			// the outsider's own: had the first reached them, it would come before this one
			marker = broker.invitationSent(outsiders, outsider);
		}
		forOrganizer.as(StepVerifier::create)
			.assertNext((event) -> assertThat(eventIdOf(event)).isEqualTo(sent))
			.assertNext((event) -> assertThat(eventIdOf(event)).isEqualTo(marker))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		forOutsider.as(StepVerifier::create)
			.assertNext((event) -> assertThat(eventIdOf(event)).isEqualTo(marker))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/** A meeting written straight into the database: no MeetingCreated goes by the stream. */
	private static String insertMeeting(String organizer, String attendee) throws Exception {
		String meetingId = UUID.randomUUID().toString();
		try (java.sql.Connection jdbc = TestStack.get().openJdbc(); java.sql.Statement sql = jdbc.createStatement()) {
			sql.executeUpdate("INSERT INTO meeting.meetings (id, title, start_at, end_at, organizer_id, status) VALUES ('"
					+ meetingId + "', 'Unseen', '2027-05-01T10:00:00Z', '2027-05-01T11:00:00Z', '" + organizer
					+ "', 'scheduled')");
			sql.executeUpdate("INSERT INTO meeting.meeting_attendees (meeting_id, user_id, name, email, position) VALUES ('"
					+ meetingId + "', '" + attendee + "', 'A', 'a@example.test', 1)");
		}
		return meetingId;
	}

	private Flux<ServerSentEvent<String>> sseAs(String caller) {
		return this.http.get()
			.uri("/api/meetings/stream")
			.header("X-User-Id", caller)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isOk()
			.returnResult(SSE)
			.getResponseBody();
	}

	/** A meetingId filter that is not a UUID is a 400 problem. */
	@Test
	void badFilterIsAProblem() {
		this.http.get()
			.uri("/api/meetings/stream?meetingId=nope")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.errors[0].field").isEqualTo("meetingId");
	}

	private static void publishQuietly(BrokerPublisher broker, String meetingId, String attendee, List<String> ids) {
		try {
			ids.add(broker.invitationSent(meetingId, attendee));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String eventIdOf(ServerSentEvent<String> event) {
		return this.json.readTree(event.data()).get("eventId").asString();
	}

	private String book(List<String> attendees) {
		Map<?, ?> body = this.http.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Streamed", attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) body.get("meetingId");
	}

	/** As an operator (scope meetings:admin), who receives the events of every meeting. */
	private Flux<ServerSentEvent<String>> sse(String uri, String lastEventId, Object... variables) {
		return this.admin.get()
			.uri(uri, variables)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				if (lastEventId != null) {
					headers.set("Last-Event-ID", lastEventId);
				}
			})
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.returnResult(SSE)
			.getResponseBody();
	}

	/** Without the heartbeat comments. */
	private static Flux<ServerSentEvent<String>> events(Flux<ServerSentEvent<String>> stream) {
		return stream.filter((event) -> event.event() != null);
	}

}
