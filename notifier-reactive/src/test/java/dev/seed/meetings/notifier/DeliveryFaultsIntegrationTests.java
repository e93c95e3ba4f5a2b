package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.seed.meetings.notifier.delivery.Deliveries;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.testsupport.TestStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults that used to lose or hold mail: an SMTP outage, messages the database rejects, an instance that dies with
 * its claims. The retry horizon is 30 s here, the back-off at most 1 s, a claim lasts 5 s unless renewed.
 */
class DeliveryFaultsIntegrationTests extends NotifierIntegrationTest {

	private static final Logger log = LoggerFactory.getLogger(DeliveryFaultsIntegrationTests.class);

	@Autowired
	DatabaseClient db;

	@Autowired
	WebTestClient http;

	/**
	 * SMTP answers 421 for over 10 s while 50 events of 5 attendees arrive: the messages are acked while it still
	 * refuses (no in-flight slot waits for it), and once it is back all 250 invitations go out, none twice.
	 */
	@Test // #17
	void smtpRefusingForAWhileLosesNothingAndMailsNobodyTwice() throws Exception {
		smtp.busy(true);
		long start = System.nanoTime();
		List<UUID> meetings = new ArrayList<>();
		List<Person> everyone = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			UUID meetingId = UUID.randomUUID();
			List<Person> people = attendees(5);
			meetings.add(meetingId);
			everyone.addAll(people);
			publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Outage " + i, people));
		}

		awaitQueueDrained();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> elapsed(start).toMillis() >= 10_000);
		Map<String, Long> during = statuses(meetings);
		smtp.busy(false);
		long back = System.nanoTime();

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> statuses(meetings).getOrDefault("SENT", 0L) == 250);
		Duration recovery = elapsed(back);
		int duplicates = 0;
		for (Person person : everyone) {
			duplicates += Math.max(0, mailTo(person.email()).size() - 1);
			assertThat(mailTo(person.email())).hasSize(1);
		}
		int maxAttempts = maxAttempts(meetings);
		log.info("SMTP refused (421) for {} ms: rows then {}; all 250 SENT {} ms after it came back, "
				+ "duplicates {}, most attempts for one invitation {}", Duration.ofNanos(back - start).toMillis(),
				during, recovery.toMillis(), duplicates, maxAttempts);
		assertThat(during).doesNotContainKeys("SENT", "FAILED");
		assertThat(maxAttempts).isGreaterThan(2);
	}

	/**
	 * 16 events whose userId holds a NUL byte (the database refuses the text) among 50 good ones: each fails three
	 * times, is parked with its reason, and the 250 good invitations are mailed meanwhile.
	 */
	@Test // #17
	void messagesTheDatabaseRejectsAreParkedWithTheirReason() throws Exception {
		List<UUID> meetings = new ArrayList<>();
		List<String> poison = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < 66; i++) {
			UUID meetingId = UUID.randomUUID();
			if (i % 4 == 1 && poison.size() < 16) {
				String id = "poisonNUL-" + meetingId;
				List<Person> people = new ArrayList<>(attendees(5));
				people.set(2, new Person("u-nul\\u0000-" + i, "Nul", "nul-" + meetingId + "@example.com"));
				publish(id, event(id, meetingId, "Poison " + i, people));
				poison.add(id);
			}
			else {
				meetings.add(meetingId);
				publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Good " + i, attendees(5)));
			}
		}
		assertThat(poison).hasSize(16);
		assertThat(meetings).hasSize(50);

		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> statuses(meetings).getOrDefault("SENT", 0L) == 250);
		Duration allSent = elapsed(start);
		Map<String, String> parked = new HashMap<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
			try (Channel channel = channel()) {
				GetResponse response;
				while ((response = channel.basicGet(DLQ, true)) != null) {
					parked.put(response.getProps().getMessageId(),
							String.valueOf(response.getProps().getHeaders().get("x-parked-reason")));
				}
			}
			return parked.keySet().containsAll(poison);
		});
		Duration allParked = elapsed(start);
		awaitQueueDrained();

		log.info("16 poison among 50 good: 250 good invitations SENT after {} ms, the 16 parked after {} ms; "
				+ "a reason: {}", allSent.toMillis(), allParked.toMillis(), parked.get(poison.get(0)));
		assertThat(poison).allSatisfy((id) -> assertThat(parked.get(id)).startsWith("processing failed 3 times"));
	}

	/**
	 * An instance that claimed invitations and died (it never renews its claims) loses them to the poller once
	 * the claim lapses; an instance that renews its claims keeps them.
	 */
	@Test // #17
	void lapsedClaimsAreTakenOverAndLiveOnesAreNot() throws Exception {
		Deliveries dead = new Deliveries(this.db);
		Deliveries live = new Deliveries(this.db);
		UUID deadMeeting = UUID.randomUUID();
		UUID liveMeeting = UUID.randomUUID();
		List<Person> deadPeople = attendees(2);
		List<Person> livePeople = attendees(2);
		claim(dead, deadMeeting, deadPeople, Duration.ofSeconds(1));
		claim(live, liveMeeting, livePeople, Duration.ofSeconds(2));
		long claimed = System.nanoTime();
		Disposable heartbeat = Flux.interval(Duration.ofMillis(300))
			.concatMap((tick) -> live.renewClaims(livePeople.stream()
				.map((person) -> new Deliveries.Claim(liveMeeting, person.userId()))
				.toList(), Duration.ofSeconds(2)))
			.subscribe();
		try {
			awaitAllSettled(deadMeeting, 2, Duration.ofSeconds(20));
			Duration takeover = elapsed(claimed);
			// three claim lifetimes, renewed: nobody takes them
			await().during(Duration.ofSeconds(6))
				.atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> deliveries(liveMeeting).values().stream().allMatch((row) -> row.status().equals("SENDING")));
			log.info("A dead instance's claims (1 s) taken over and mailed after {} ms", takeover.toMillis());
		}
		finally {
			heartbeat.dispose();
		}
		assertThat(deliveries(deadMeeting).values()).extracting(Row::status).containsOnly("SENT");
		for (Person person : deadPeople) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		// once it stops renewing, its claims lapse like any other
		awaitAllSettled(liveMeeting, 2, Duration.ofSeconds(20));
		for (Person person : livePeople) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
	}

	/** An invitation that failed for good is listed for operators, and a replay mails it. */
	@Test // #17
	void failedInvitationsAreListedAndReplayed() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(2);
		smtp.refuse(people.get(0).email());
		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Replay me", people));
		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));
		assertThat(deliveries(meetingId).get(people.get(0).userId()).status()).isEqualTo("FAILED");

		this.http.get()
			.uri("/api/invitations/failed?limit=1000")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.invitations[?(@.meetingId == '" + meetingId + "')].userId")
			.isEqualTo(people.get(0).userId())
			.jsonPath("$.invitations[?(@.meetingId == '" + meetingId + "')].lastError")
			.value((error) -> assertThat(error.toString()).contains("550"));
		smtp.reset();
		this.http.post()
			.uri("/api/invitations/failed/replay?meetingId={id}", meetingId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.scheduled")
			.isEqualTo(1);

		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));
		assertThat(deliveries(meetingId).values()).extracting(Row::status).containsOnly("SENT");
		assertThat(mailTo(people.get(0).email())).hasSize(1);
		assertThat(mailTo(people.get(1).email())).hasSize(1);
		this.http.post()
			.uri("/api/invitations/failed/replay?meetingId={id}", "nope")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private void claim(Deliveries deliveries, UUID meetingId, List<Person> people, Duration ttl) {
		String body = event("e-" + meetingId, meetingId, "Claimed", people);
		MeetingCreated event = new MeetingCreated("e-" + meetingId, "MeetingCreated", OffsetDateTime.now(), meetingId,
				"Claimed", OffsetDateTime.parse("2026-12-01T10:00:00Z"), OffsetDateTime.parse("2026-12-01T11:00:00Z"),
				null, "o", people.stream().map((p) -> new MeetingCreated.Attendee(p.userId(), p.name(), p.email()))
					.toList());
		List<String> claimed = deliveries.registerPending(event, body.getBytes(StandardCharsets.UTF_8))
			.thenMany(deliveries.claimUnsent(meetingId, people.stream().map(Person::userId).toList(), ttl))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(claimed).hasSize(people.size());
	}

	private static Duration elapsed(long since) {
		return Duration.ofNanos(System.nanoTime() - since);
	}

	private static Map<String, Long> statuses(List<UUID> meetings) throws Exception {
		try (Connection connection = TestStack.get().openJdbc();
				PreparedStatement statement = connection.prepareStatement("""
						SELECT status, count(*) FROM notifier.deliveries WHERE meeting_id = ANY(?) GROUP BY status
						""")) {
			statement.setArray(1, connection.createArrayOf("uuid", meetings.toArray()));
			Map<String, Long> counts = new HashMap<>();
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					counts.put(result.getString(1), result.getLong(2));
				}
			}
			return counts;
		}
	}

	private static int maxAttempts(List<UUID> meetings) throws Exception {
		try (Connection connection = TestStack.get().openJdbc();
				PreparedStatement statement = connection
					.prepareStatement("SELECT max(attempts) FROM notifier.deliveries WHERE meeting_id = ANY(?)")) {
			statement.setArray(1, connection.createArrayOf("uuid", meetings.toArray()));
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
	}

}
