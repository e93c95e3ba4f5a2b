package dev.seed.meetings.meeting.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker link cut in the middle of a run of bookings: the outbox keeps every event and the relay delivers it
 * once the connection has healed by itself.
 */
class BrokerOutageTests extends FaultTest {

	private static final Logger log = LoggerFactory.getLogger(BrokerOutageTests.class);

	private static final int BOOKINGS = 300;

	private static final int CONCURRENCY = 12;

	private static final int CUT_AFTER = 50;

	private static final int HEAL_AFTER = 200;

	static final FaultProxy broker = FaultProxy.start("rabbitmq", TestStack.get().rabbitHost(),
			TestStack.get().rabbitPort());

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStackWithBrokerThrough(registry, broker);
		registry.add("meeting.outbox.relay-enabled", () -> "true");
		registry.add("meeting.outbox.relay-interval", () -> "500ms");
		registry.add("meeting.events.confirm-timeout", () -> "500ms");
	}

	@AfterEach
	void heal() {
		broker.heal();
	}

	/** 300 bookings with the broker cut after 50 and healed after 200: all 201, and all 300 events arrive. */
	@Test
	void nothingLostWhileTheBrokerIsCut() throws Exception {
		List<String> ids = users.newUsers(2 * BOOKINGS);
		String title = "Broker cut " + TestStack.get().runId();
		AtomicInteger answered = new AtomicInteger();
		WebClient client = client();
		try (EventQueue events = new EventQueue()) {
			assertThat(broker.connectionCount()).as("the service reaches the broker through the proxy").isPositive();
			CompletableFuture<List<Answer>> run = Flux.range(0, BOOKINGS)
				.flatMap((i) -> book(client, title, ids.subList(2 * i, 2 * i + 2)), CONCURRENCY)
				.doOnNext((answer) -> answered.incrementAndGet())
				.collectList()
				.toFuture();
			long started = System.nanoTime();
			awaitAnswers(answered, CUT_AFTER);
			broker.cut();
			long cutAt = System.nanoTime();
			awaitAnswers(answered, HEAL_AFTER);
			broker.heal();
			long healedAt = System.nanoTime();
			List<Answer> answers = run.get(3, TimeUnit.MINUTES);
			long finished = System.nanoTime();

			assertThat(answers).hasSize(BOOKINGS)
				.allSatisfy((answer) -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
			Set<String> meetingIds = new HashSet<>();
			answers.forEach((answer) -> meetingIds.add(this.json.readTree(answer.body()).get("meetingId").asString()));
			assertThat(meetingIds).hasSize(BOOKINGS);

			Map<String, Integer> copiesByEventId = new HashMap<>();
			Set<String> deliveredMeetings = new HashSet<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (deliveredMeetings.size() < BOOKINGS && System.nanoTime() < deadline) {
				for (GetResponse message : events.take(BOOKINGS, Duration.ofMillis(500))) {
					JsonNode event = this.json.readTree(EventQueue.body(message));
					String meetingId = event.path("meetingId").asString("");
					// the relay also publishes rows that other test classes left unpublished
					if (meetingIds.contains(meetingId)) {
						deliveredMeetings.add(meetingId);
						copiesByEventId.merge(event.get("eventId").asString(), 1, Integer::sum);
					}
				}
			}
			long delivered = System.nanoTime();
			assertThat(deliveredMeetings).hasSize(BOOKINGS);
			assertThat(copiesByEventId).hasSize(BOOKINGS);
			assertThat(broker.connectionCount()).as("the connection recovered through the proxy").isPositive();

			int copies = copiesByEventId.values().stream().mapToInt(Integer::intValue).sum();
			log.info("Broker cut after {} answers for {} ms; {} bookings took {} ms (max {} ms for one); "
					+ "all {} events delivered {} ms after the heal ({} copies, {} duplicates); outbox attempts {}",
					CUT_AFTER, millis(healedAt - cutAt), BOOKINGS, millis(finished - started),
					answers.stream().mapToLong((a) -> a.elapsed().toMillis()).max().orElse(0), copiesByEventId.size(),
					millis(delivered - healedAt), copies, copies - copiesByEventId.size(), attempts(meetingIds));
		}
	}

	private static void awaitAnswers(AtomicInteger answered, int count) {
		await(count + " bookings answered").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> answered.get() >= count);
	}

	/** How many outbox rows of these meetings needed how many publish attempts (1: the fast path made it). */
	private static Map<Integer, Integer> attempts(Set<String> meetingIds) throws Exception {
		Map<Integer, Integer> histogram = new HashMap<>();
		try (Connection jdbc = TestStack.get().openJdbc(); PreparedStatement query = jdbc.prepareStatement(
				"SELECT attempts, count(*) FROM meeting.outbox WHERE payload::jsonb ->> 'meetingId' = ANY(?) GROUP BY attempts")) {
			query.setArray(1, jdbc.createArrayOf("text", new ArrayList<>(meetingIds).toArray()));
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					histogram.put(rows.getInt(1), rows.getInt(2));
				}
			}
		}
		return histogram;
	}

	private static long millis(long nanos) {
		return Duration.ofNanos(nanos).toMillis();
	}

}
