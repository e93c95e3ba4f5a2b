package dev.seed.meetings.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issues #4, #5 and #17 at the system's edge: nothing lost while the broker is away or a notifier stops or is killed,
 * nothing doubled by retries or by two notifiers, and a killed notifier's recipients doubled at most once each.
 */
class ReliabilityEndToEndTests extends EndToEndTest {

	/** 300 bookings while meeting-reactive's broker link is cut for part of the run: every event and every invitation arrives, once. */
	@Test // #5
	void nothingIsLostWhileTheBrokerLinkIsCut() throws Exception {
		String queue = bindEventQueue("e2e.reliability.lost." + run);
		String organizer = createUser("org");
		List<String> pool = List.of(createUser("p1"), createUser("p2"), createUser("p3"), createUser("p4"));
		String token = "Bearer " + system.token(organizer);

		List<Integer> statuses = Flux.range(0, 300)
			.flatMap((i) -> {
				if (i == 50) {
					system.meetingBrokerLink.cut();
				}
				if (i == 200) {
					system.meetingBrokerLink.heal();
				}
				List<String> attendees = List.of(pool.get(i % 4), pool.get((i + 1) % 4));
				return book(token, "Lost? " + run + " #" + i, attendees, null);
			}, 8)
			.collectList()
			.block(Duration.ofMinutes(5));
		system.meetingBrokerLink.heal();

		assertThat(statuses).hasSize(300).containsOnly(201);
		String subjects = "Invitation: Lost? " + run + " #";
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
			.until(() -> recipientsBySubject(subjects).values().stream().mapToInt(List::size).sum() >= 600);
		await("no further, duplicate, invitation").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
			.until(() -> recipientsBySubject(subjects).values().stream().mapToInt(List::size).sum() == 600);
		Map<String, List<String>> mails = recipientsBySubject(subjects);
		assertThat(mails).as("one invitation mail per meeting").hasSize(300);
		assertThat(mails.values()).as("each meeting's two attendees mailed once each")
			.allSatisfy((recipients) -> assertThat(recipients).hasSize(2).doesNotHaveDuplicates());
		List<JsonNode> events = drainEvents(queue, Duration.ofSeconds(3));
		assertThat(events).as("at least once: an event whose confirm was lost with the link may arrive twice").hasSizeGreaterThanOrEqualTo(300);
		assertOneEventPerMeeting(distinctByEventId(events), 300);
	}

	/** 50 concurrent identical POSTs with one Idempotency-Key book one meeting, publish one event, mail each attendee once. */
	@Test // #5
	void concurrentRetriesWithOneKeyBookOnce() throws Exception {
		String queue = bindEventQueue("e2e.reliability.doubled." + run);
		String organizer = createUser("org");
		List<String> attendees = List.of(createUser("d1"), createUser("d2"), createUser("d3"));
		String token = "Bearer " + system.token(organizer);
		String title = "Doubled? " + run;
		String key = "key-" + run;

		List<String> meetingIds = Flux.range(0, 50)
			.flatMap((i) -> client.post()
				.uri("/api/meetings")
				.header("Authorization", token)
				.header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(meeting(title, attendees))
				.exchange()
				.expectStatus().isCreated()
				.returnResult(JsonNode.class)
				.getResponseBody()
				.map((body) -> body.get("meetingId").asString())
				.next(), 50)
			.collectList()
			.block(Duration.ofMinutes(2));

		assertThat(meetingIds).hasSize(50);
		assertThat(meetingIds.stream().distinct()).hasSize(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(attendees) >= 3);
		await("no further, duplicate, invitation").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
			.until(() -> mailsTo(attendees) == 3);
		assertThat(recipientsBySubject("Invitation: " + title)).hasSize(1)
			.allSatisfy((subject, recipients) -> assertThat(recipients).hasSize(3).doesNotHaveDuplicates());
		List<JsonNode> events = drainEvents(queue, Duration.ofSeconds(2));
		assertThat(events).hasSize(1);
		assertThat(events.get(0).get("meetingId").asString()).isEqualTo(meetingIds.get(0));
	}

	/**
	 * A notifier stopped (SIGTERM) while it is mailing finishes what it holds and lets go of the rest; with the other
	 * notifier taking over, every attendee still gets exactly one invitation.
	 */
	@Test // #4
	void stoppingANotifierMidBatchLosesNothing() throws Exception {
		String organizer = createUser("org");
		List<String> attendees = List.of(createUser("s1"), createUser("s2"), createUser("s3"));
		String token = "Bearer " + system.token(organizer);
		String titles = "Stopped? " + run + " #";
		system.secondNotifierSmtp.delay(Duration.ofMillis(100));
		try {
			List<Integer> statuses = Flux.range(0, 30)
				.flatMap((i) -> book(token, titles + i, attendees, null), 8)
				.collectList()
				.block(Duration.ofMinutes(2));
			assertThat(statuses).hasSize(30).containsOnly(201);
			// mid-batch: the mailing has begun, and the second notifier's SMTP is slowed so that it is not over yet
			await("the first invitations mailed").atMost(Duration.ofSeconds(30))
				.until(() -> recipientsBySubject("Invitation: " + titles).values().stream().mapToInt(List::size).sum() > 0);
			system.secondNotifier.close();
			assertThat(system.secondNotifier.isAlive()).isFalse();

			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
				.until(() -> recipientsBySubject("Invitation: " + titles).values().stream().mapToInt(List::size).sum() >= 90);
			await("no further, duplicate, invitation").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
				.until(() -> recipientsBySubject("Invitation: " + titles).values().stream().mapToInt(List::size).sum() == 90);
			Map<String, List<String>> mails = recipientsBySubject("Invitation: " + titles);
			assertThat(mails).hasSize(30);
			assertThat(mails.values()).allSatisfy((recipients) -> assertThat(recipients).hasSize(3).doesNotHaveDuplicates());
		}
		finally {
			system.secondNotifierSmtp.heal();
			system.restartSecondNotifier();
		}
	}

	/**
	 * A notifier killed with SIGKILL mid-batch leaves its claims SENDING; they lapse after {@code notifier.claim-ttl}
	 * and a poller mails them again: every invitation arrives within 60 s of the restart, and only a recipient whose
	 * mail was in flight at the kill may get a second copy.
	 */
	@Test // #17
	void killedNotifierMidBatchLosesNothingAndDoublesAtMostWhatWasInFlight() throws Exception {
		String organizer = createUser("org");
		List<String> attendees = List.of(createUser("k1"), createUser("k2"), createUser("k3"), createUser("k4"),
				createUser("k5"));
		String token = "Bearer " + system.token(organizer);
		String titles = "Killed? " + run + " #";
		String subjects = "Invitation: " + titles;
		int meetings = 40;
		int invitations = meetings * attendees.size();
		system.secondNotifierSmtp.delay(Duration.ofMillis(150));
		long inFlightAtKill;
		long killedAt;
		long restartedAt;
		try {
			List<Integer> statuses = Flux.range(0, meetings)
				.flatMap((i) -> book(token, titles + i, attendees, null), 8)
				.collectList()
				.block(Duration.ofMinutes(2));
			assertThat(statuses).hasSize(meetings).containsOnly(201);
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
				.until(() -> mailCount(subjects) >= invitations / 5);
			system.secondNotifier.kill();
			killedAt = System.nanoTime();
			assertThat(system.secondNotifier.isAlive()).isFalse();
			// every row SENDING now: the dead notifier's in-flight sends (and the live one's, an upper bound)
			inFlightAtKill = sendingRows(attendees);
		}
		finally {
			system.secondNotifierSmtp.heal();
			if (!system.secondNotifier.isAlive()) {
				system.restartSecondNotifier();
			}
		}
		restartedAt = System.nanoTime();

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
			.until(() -> distinctDeliveries(subjects) == invitations);
		long allDelivered = System.nanoTime();
		Map<String, List<String>> mails = recipientsBySubject(subjects);
		long duplicates = mailCount(subjects) - distinctDeliveries(subjects);
		System.out.printf("#17 kill -9 mid-batch: %d invitations, %d SENDING at the kill, %d duplicate(s); all "
				+ "delivered %d ms after the kill, %d ms after the restart was ready%n", invitations, inFlightAtKill,
				duplicates, Duration.ofNanos(allDelivered - killedAt).toMillis(),
				Duration.ofNanos(allDelivered - restartedAt).toMillis());
		assertThat(mails).hasSize(meetings);
		assertThat(mails.values()).allSatisfy((recipients) -> assertThat(recipients).containsAll(
				attendees.stream().map((userId) -> userId + "@example.com").toList()));
		assertThat(duplicates).isLessThanOrEqualTo(inFlightAtKill);
	}

	private static long mailCount(String subjects) {
		return recipientsBySubject(subjects).values().stream().mapToLong(List::size).sum();
	}

	private static long distinctDeliveries(String subjects) {
		return recipientsBySubject(subjects).entrySet()
			.stream()
			.mapToLong((entry) -> entry.getValue().stream().distinct().count())
			.sum();
	}

	private long sendingRows(List<String> attendees) throws Exception {
		try (Connection connection = system.stack.openJdbc();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM notifier.deliveries WHERE status = 'SENDING' AND user_id = ANY(?)")) {
			statement.setArray(1, connection.createArrayOf("text", attendees.toArray()));
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private Mono<Integer> book(String token, String title, List<String> attendees, String key) {
		return Mono.fromCallable(() -> client.post()
			.uri("/api/meetings")
			.header("Authorization", token)
			.headers((headers) -> {
				if (key != null) {
					headers.set("Idempotency-Key", key);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meeting(title, attendees))
			.exchange()
			.returnResult(Void.class)
			.getStatus()
			.value()).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
	}

}
