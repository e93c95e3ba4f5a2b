package dev.seed.meetings.notifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmtpFailureIntegrationTests extends NotifierIntegrationTest {

	private static final Logger log = LoggerFactory.getLogger(SmtpFailureIntegrationTests.class);

	@Autowired
	MeterRegistry meters;

	/** With a slow SMTP server, never more than max-concurrent-sends (3) messages are in transfer, and all arrive. */
	@Test
	void slowServerNeverSeesMoreThanTheBound() throws Exception {
		smtp.delayEachMessage(Duration.ofMillis(200));
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		List<Person> firstPeople = attendees(12);
		List<Person> secondPeople = attendees(6);

		long start = System.nanoTime();
		// two messages at once: the bound holds across messages, not just within one
		publish("e-" + first, event("e-" + first, first, "Slow one", firstPeople));
		publish("e-" + second, event("e-" + second, second, "Slow two", secondPeople));
		awaitAllSettled(first, 12, Duration.ofSeconds(60));
		awaitAllSettled(second, 6, Duration.ofSeconds(60));
		long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

		log.info("18 mails at 200 ms each, bound 3: {} ms, max concurrent transfers {}, max sessions {}",
				elapsedMillis, smtp.maxConcurrentTransfers(), smtp.maxConcurrentSessions());
		assertThat(smtp.maxConcurrentTransfers()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
		assertThat(smtp.maxConcurrentSessions()).isLessThanOrEqualTo(3);
		// 18 mails, 3 at a time, 200 ms each: at least 6 rounds
		assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_200);
		assertThat(deliveries(first).values()).extracting(Row::status).containsOnly("SENT");
		assertThat(deliveries(second).values()).extracting(Row::status).containsOnly("SENT");
		for (Person person : firstPeople) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		for (Person person : secondPeople) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		awaitQueueDrained();
	}

	/** SMTP down, then back within the retry window: everything is delivered, after retries. */
	@Test
	void serverBackWithinTheRetryWindowDeliversAll() throws Exception {
		double retriedBefore = this.meters.counter("notifier.emails", "outcome", "retried").count();
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);
		smtp.down();

		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Flaky mail", people));
		// the first tries fail while SMTP is down: for a while, nothing is sent and nothing has failed for good
		await("nothing sent or failed while SMTP is down").during(Duration.ofMillis(700))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(deliveries(meetingId).values()).extracting(Row::status)
				.doesNotContain("SENT", "FAILED"));
		smtp.up();

		awaitAllSettled(meetingId, 3, Duration.ofSeconds(30));
		Map<String, Row> rows = deliveries(meetingId);
		assertThat(rows.values()).extracting(Row::status).containsOnly("SENT");
		assertThat(rows.values()).allSatisfy((row) -> assertThat(row.attempts()).isGreaterThan(1));
		for (Person person : people) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		assertThat(this.meters.counter("notifier.emails", "outcome", "retried").count()).isGreaterThan(retriedBefore);
		awaitQueueDrained();
	}

	/**
	 * SMTP down past the retry horizon (30 s here): the message is acked at once (the rows are the schedule), and
	 * every attendee ends FAILED after several attempts, with the error.
	 */
	@Test
	void serverDownForGoodRecordsFailuresAndAcks() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);
		smtp.down();

		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Nobody home", people));

		awaitQueueDrained();
		awaitAllSettled(meetingId, 3, Duration.ofSeconds(60));
		Map<String, Row> rows = deliveries(meetingId);
		assertThat(rows.values()).allSatisfy((row) -> {
			assertThat(row.status()).isEqualTo("FAILED");
			assertThat(row.attempts()).isGreaterThan(3);
			assertThat(row.lastError()).isNotBlank().doesNotContain("\n");
		});
		smtp.up();
		for (Person person : people) {
			assertThat(mailTo(person.email())).isEmpty();
		}
	}

	/** A 550 reply is permanent: that attendee is FAILED after one attempt, the others are SENT. */
	@Test
	void refusedRecipientFailsAtOnce() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);
		smtp.refuse(people.get(1).email());

		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "One bad address", people));

		awaitAllSettled(meetingId, 3, Duration.ofSeconds(30));
		Map<String, Row> rows = deliveries(meetingId);
		Row refused = rows.get(people.get(1).userId());
		assertThat(refused.status()).isEqualTo("FAILED");
		assertThat(refused.attempts()).isEqualTo(1);
		assertThat(refused.lastError()).contains("550");
		assertThat(rows.get(people.get(0).userId()).status()).isEqualTo("SENT");
		assertThat(rows.get(people.get(2).userId()).status()).isEqualTo("SENT");
		assertThat(mailTo(people.get(1).email())).isEmpty();
		awaitQueueDrained();
	}

	/** An address that is not one fails at once, without a single SMTP attempt being retried. */
	@Test
	void invalidAddressFailsAtOnce() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = List.of(new Person("u-bad-" + meetingId, "Bad", "not an address"),
				attendees(1).get(0));

		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Typo", people));

		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));
		Map<String, Row> rows = deliveries(meetingId);
		assertThat(rows.get(people.get(0).userId()).status()).isEqualTo("FAILED");
		assertThat(rows.get(people.get(0).userId()).attempts()).isEqualTo(1);
		assertThat(rows.get(people.get(1).userId()).status()).isEqualTo("SENT");
		awaitQueueDrained();
	}

}
