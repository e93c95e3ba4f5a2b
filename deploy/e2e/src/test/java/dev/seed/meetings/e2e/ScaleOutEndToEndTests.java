package dev.seed.meetings.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import dev.seed.meetings.local.ServiceProcess;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #20: two gateways, two meeting-reactive, two user-reactive and two notifier-reactive against one database and
 * one broker. 500 meetings are booked in three phases, alternating between the two sides: 200 with everything up, 100
 * while both meeting instances' broker links are cut (so that both outbox relays race over the backlog once the links
 * heal), and 200 during which side b's meeting-reactive is killed with SIGKILL (a booking that fails there is retried
 * on side a with its Idempotency-Key, as a client behind a load balancer would).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutEndToEndTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String EXCHANGE = "meeting.events";

	private static final int HEALTHY = 200;

	private static final int RELAY_RACE = 100;

	private static final int WITH_KILL = 200;

	private static final int MEETINGS = HEALTHY + RELAY_RACE + WITH_KILL;

	private static final int KILL_AFTER = 60;

	private static final int ORGANIZERS = 25;

	private static final int ATTENDEE_POOL = 20;

	private static ScaleOutSystem system;

	private static com.rabbitmq.client.Connection rabbit;

	/** Every MeetingCreated that reached the broker, by event id, with how often it arrived. */
	private static final Map<String, Integer> copiesByEventId = new ConcurrentHashMap<>();

	private static final Map<String, String> meetingByEventId = new ConcurrentHashMap<>();

	/** The meetings whose MeetingCreated each side's stream subscriber received. */
	private static final Map<String, Set<String>> streamed = new ConcurrentHashMap<>();

	private static final List<Disposable> subscriptions = new ArrayList<>();

	private static final String run = UUID.randomUUID().toString().substring(0, 8);

	private static final List<String> organizers = new ArrayList<>();

	private static final List<String> pool = new ArrayList<>();

	/** meeting id by booking number, for every booking answered 201. */
	private static final Map<Integer, String> accepted = new ConcurrentHashMap<>();

	private static final Map<Integer, List<String>> attendeesByBooking = new ConcurrentHashMap<>();

	private static final AtomicInteger retriedOnOtherSide = new AtomicInteger();

	@BeforeAll
	static void startTwoOfEverything() throws Exception {
		system = new ScaleOutSystem();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(system.stack.rabbitHost());
		factory.setPort(system.stack.rabbitPort());
		factory.setVirtualHost(system.stack.vhost());
		rabbit = factory.newConnection("scale-out-tests");
		Channel channel = rabbit.createChannel();
		channel.exchangeDeclare(EXCHANGE, "topic", true);
		String queue = channel.queueDeclare("scale-out.events." + run, false, true, true, null).getQueue();
		channel.queueBind(queue, EXCHANGE, "meeting.created");
		DeliverCallback count = (tag, delivery) -> {
			JsonNode event = json.readTree(delivery.getBody());
			String eventId = event.get("eventId").asString();
			meetingByEventId.put(eventId, event.get("meetingId").asString());
			copiesByEventId.merge(eventId, 1, Integer::sum);
		};
		channel.basicConsume(queue, true, count, (tag) -> { });

		for (ScaleOutSystem.Side side : system.sides) {
			subscribeToStream(side);
		}
		for (int i = 0; i < ORGANIZERS; i++) {
			organizers.add(createUser("org" + i, system.sides.get(i % 2)));
		}
		for (int i = 0; i < ATTENDEE_POOL; i++) {
			pool.add(createUser("att" + i, system.sides.get(i % 2)));
		}
		ProcessFigures.print("after start-up, users created", system.processes());
	}

	@AfterAll
	static void stop() throws Exception {
		subscriptions.forEach(Disposable::dispose);
		if (rabbit != null) {
			rabbit.close();
		}
		if (system != null) {
			system.close();
		}
	}

	@Test // #20
	@Order(1)
	void bookingsOnBothSidesReachEveryStreamSubscriberOnce() {
		Map<String, long[]> before = ProcessFigures.cpuTicks(system.processes());
		book(0, HEALTHY, (i) -> { });
		ProcessFigures.printCpuPerBooking("healthy phase", system.processes(), before, HEALTHY);

		assertThat(accepted).hasSize(HEALTHY);
		Set<String> meetings = Set.copyOf(accepted.values());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
			.until(() -> publishedMeetings().containsAll(meetings));
		assertThat(duplicateEvents()).as("MeetingCreated published twice while both instances were up").isEmpty();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(streamed.get("a")).as("stream subscriber on side a").containsAll(meetings);
			assertThat(streamed.get("b")).as("stream subscriber on side b").containsAll(meetings);
		});
		System.out.printf("scale-out: healthy phase: %d bookings, %d events, subscriber a %d, subscriber b %d%n",
				accepted.size(), copiesByEventId.size(), streamed.get("a").size(), streamed.get("b").size());
	}

	@Test // #20
	@Order(2)
	void bothOutboxRelaysDrainABacklogWithoutPublishingARowTwice() throws Exception {
		system.sides.forEach((side) -> side.meetingBrokerLink().cut());
		try {
			book(HEALTHY, RELAY_RACE, (i) -> { });
		}
		finally {
			system.sides.forEach((side) -> side.meetingBrokerLink().heal());
		}
		assertThat(accepted).hasSize(HEALTHY + RELAY_RACE);
		Set<String> meetings = Set.copyOf(accepted.values());
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
			.until(() -> publishedMeetings().containsAll(meetings) && unpublishedOutboxRows() == 0);
		assertThat(duplicateEvents()).as("an outbox row published by both relays").isEmpty();
		assertThat(copiesByEventId).hasSize(HEALTHY + RELAY_RACE);
		System.out.printf("scale-out: relay race: %d bookings while both broker links were cut, %d events, %d duplicates%n",
				RELAY_RACE, copiesByEventId.size(), duplicateEvents().size());
	}

	@Test // #20
	@Order(3)
	void anIdempotencyKeyReplayedOnTheOtherSideGetsTheFirstAnswer() {
		String organizer = organizers.get(0);
		String key = "replay-" + run;
		Map<String, Object> body = EndToEndTest.meeting("Replay " + run, List.of(pool.get(0), pool.get(1)));
		Answer first = post(system.a(), organizer, key, body).block(Duration.ofSeconds(30));
		Answer replayed = post(system.b(), organizer, key, body).block(Duration.ofSeconds(30));
		assertThat(first.status()).isEqualTo(201);
		assertThat(replayed.status()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(first.body());
		Answer otherBody = post(system.b(), organizer, key, EndToEndTest.meeting("Another " + run, List.of(pool.get(2))))
			.block(Duration.ofSeconds(30));
		assertThat(otherBody.status()).as("the same key with another body").isEqualTo(422);
	}

	@Test // #20
	@Order(4)
	void thePerUserRateLimitIsOneBucketAcrossBothGateways() {
		String user = createUser("limited", system.a());
		String token = "Bearer " + system.token(user);
		long started = System.nanoTime();
		List<int[]> answers = Flux.range(0, 4 * ScaleOutSystem.BURST)
			.flatMap((i) -> {
				ScaleOutSystem.Side side = system.sides.get(i % 2);
				return WebClient.create(side.gateway().baseUrl())
					.get()
					.uri("/api/users/{id}", user)
					.header("Authorization", token)
					.exchangeToMono((response) -> response.releaseBody().thenReturn(new int[] { i % 2, response.statusCode().value() }));
			}, 16)
			.collectList()
			.block(Duration.ofSeconds(60));
		double seconds = (System.nanoTime() - started) / 1e9;
		long allowed = answers.stream().filter((answer) -> answer[1] == 200).count();
		long limited = answers.stream().filter((answer) -> answer[1] == 429).count();
		long bound = ScaleOutSystem.BURST + (long) Math.ceil(ScaleOutSystem.REPLENISH_PER_SECOND * seconds);
		System.out.printf("scale-out: rate limit: %d requests in %.1f s over two gateways, %d allowed (bound %d), %d refused%n",
				answers.size(), seconds, allowed, bound, limited);
		assertThat(bound).as("fast enough that two separate buckets would let more through than one").isLessThan(2L * ScaleOutSystem.BURST);
		assertThat(allowed + limited).isEqualTo(answers.size());
		assertThat(allowed).isLessThanOrEqualTo(bound).isGreaterThan(0);
		for (int side = 0; side < 2; side++) {
			int s = side;
			assertThat(answers).as("gateway " + side + " refused some").anyMatch((answer) -> answer[0] == s && answer[1] == 429);
		}
	}

	@Test // #20
	@Order(5)
	void afterOneMeetingInstanceIsKilledEveryAcceptedMeetingIsPublishedAndEveryAttendeeMailedOnce() throws Exception {
		int first = HEALTHY + RELAY_RACE;
		ServiceProcess victim = system.b().meetings();
		book(first, WITH_KILL, (i) -> {
			if (i == first + KILL_AFTER) {
				ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);
			}
		});
		assertThat(victim.isAlive()).isFalse();
		assertThat(accepted).as("every booking accepted, on its side or retried on the other").hasSize(MEETINGS);
		Set<String> meetings = Set.copyOf(accepted.values());
		assertThat(meetings).as("one meeting per booking: a retry with its key never booked again").hasSize(MEETINGS);
		assertThat(meetingRows()).as("meetings in the database").isEqualTo(MEETINGS + 1);

		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
			.until(() -> publishedMeetings().containsAll(meetings) && unpublishedOutboxRows() == 0);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
			.until(() -> invitations().values().stream().mapToInt(List::size).sum() >= 2 * MEETINGS);
		Map<String, List<String>> invitations = await().pollDelay(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(10))
			.until(ScaleOutEndToEndTests::invitations, (mails) -> true);

		long duplicates = 0;
		long lost = 0;
		for (Map.Entry<Integer, String> booking : accepted.entrySet()) {
			List<String> expected = attendeesByBooking.get(booking.getKey()).stream().map((id) -> id + "@example.com").toList();
			List<String> received = invitations.getOrDefault(title(booking.getKey()), List.of());
			duplicates += received.size() - received.stream().distinct().count();
			lost += expected.stream().filter((address) -> !received.contains(address)).count();
		}
		int mails = invitations.values().stream().mapToInt(List::size).sum();
		Set<String> streamedOnA = streamed.get("a");
		long aMissing = meetings.stream().filter((id) -> !streamedOnA.contains(id)).count();
		System.out.printf("scale-out: %d meetings accepted (%d retried on the other side after the kill), %d distinct events "
				+ "(%d delivered more than once), %d invitations, %d duplicates, %d lost; stream subscriber a: %d meetings "
				+ "(%d missing), subscriber b (killed with its instance): %d meetings%n",
				meetings.size(), retriedOnOtherSide.get(), copiesByEventId.size(), duplicateEvents().size(), mails,
				duplicates, lost, streamedOnA.size(), aMissing, streamed.get("b").size());
		ProcessFigures.print("after 500 bookings", system.processes());

		assertThat(retriedOnOtherSide.get()).as("bookings failed on the killed side and retried").isPositive();
		assertThat(lost).as("invitations lost").isZero();
		assertThat(duplicates).as("invitations sent twice").isZero();
		assertThat(mails).isEqualTo(2 * MEETINGS);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(streamed.get("a")).as("the surviving instance's subscriber, after phase 2")
				.containsAll(meetingsOf(HEALTHY + RELAY_RACE, MEETINGS)));
	}

	/** Books {@code count} meetings from booking number {@code from}, alternating sides; a failure is retried on the other side. */
	private static void book(int from, int count, IntConsumer beforeEach) {
		List<Integer> statuses = Flux.range(from, count)
			.flatMap((i) -> {
				beforeEach.accept(i);
				String organizer = organizers.get(i % ORGANIZERS);
				List<String> attendees = List.of(pool.get(i % ATTENDEE_POOL), pool.get((i * 7 + 3) % ATTENDEE_POOL));
				attendeesByBooking.put(i, attendees.stream().distinct().toList());
				Map<String, Object> body = EndToEndTest.meeting(title(i), attendees);
				String key = "booking-" + run + "-" + i;
				AtomicInteger attempt = new AtomicInteger();
				return Mono.defer(() -> {
					int n = attempt.getAndIncrement();
					ScaleOutSystem.Side side = system.sides.get((i + n) % 2);
					if (n > 0) {
						retriedOnOtherSide.incrementAndGet();
					}
					return post(side, organizer, key, body);
				})
					.flatMap((answer) -> answer.status() == 201 ? Mono.just(answer)
							: Mono.error(new IllegalStateException("answered " + answer.status() + ": " + answer.body())))
					.retryWhen(Retry.backoff(6, Duration.ofMillis(300)))
					.doOnNext((answer) -> accepted.put(i, json.readTree(answer.body()).get("meetingId").asString()))
					.map(Answer::status);
			}, 16)
			.collectList()
			.block(Duration.ofMinutes(3));
		assertThat(statuses).hasSize(count).containsOnly(201);
	}

	private static Mono<Answer> post(ScaleOutSystem.Side side, String organizer, String key, Map<String, Object> body) {
		return WebClient.create(side.gateway().baseUrl())
			.post()
			.uri("/api/meetings")
			.header("Authorization", "Bearer " + system.token(organizer))
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json.writeValueAsString(body))
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.statusCode().value(), text)))
			.timeout(Duration.ofSeconds(30))
			.onErrorResume((ex) -> Mono.just(new Answer(599, ex.toString())));
	}

	record Answer(int status, String body) {
	}

	private static String createUser(String label, ScaleOutSystem.Side side) {
		String userId = "u-" + run + "-" + label;
		Map<String, String> body = Map.of("userId", userId, "name", "Name " + userId, "email", userId + "@example.com",
				"timezone", "Asia/Seoul");
		Integer status = WebClient.create(side.gateway().baseUrl())
			.post()
			.uri("/api/users")
			.header("Authorization", "Bearer " + system.token(userId))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json.writeValueAsString(body))
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(30));
		assertThat(status).as("creating " + userId).isEqualTo(201);
		return userId;
	}

	/**
	 * A subscriber on this side's meeting-reactive, straight to its port, keeping the meetings of its MeetingCreated
	 * lines: an operator's (scope meetings:admin, relayed beside the gateway's token), since a stream gives anyone
	 * else only the meetings they take part in.
	 */
	private static void subscribeToStream(ScaleOutSystem.Side side) {
		Set<String> meetings = ConcurrentHashMap.newKeySet();
		streamed.put(side.name(), meetings);
		AtomicInteger lines = new AtomicInteger();
		subscriptions.add(WebClient.create(side.meetings().baseUrl())
			.get()
			.uri("/api/meetings/stream")
			.header("X-User-Id", "scale-out-operator")
			.header("X-User-Scopes", "meetings:admin")
			.header("X-Gateway-Token", ScaleOutSystem.SERVICE_TOKEN)
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe((line) -> {
				lines.incrementAndGet();
				JsonNode event = json.readTree(line);
				if ("MeetingCreated".equals(event.path("type").asString(""))) {
					meetings.add(event.get("meetingId").asString());
				}
			}, (error) -> System.out.printf("scale-out: stream on side %s ended: %s%n", side.name(), error)));
		await().atMost(Duration.ofSeconds(30)).until(() -> lines.get() > 0);
	}

	private static String title(int booking) {
		return "Scale " + run + " #" + booking;
	}

	private static Set<String> meetingsOf(int from, int to) {
		Set<String> meetings = new java.util.HashSet<>();
		for (int i = from; i < to; i++) {
			meetings.add(accepted.get(i));
		}
		return meetings;
	}

	private static Set<String> publishedMeetings() {
		return Set.copyOf(meetingByEventId.values());
	}

	private static Map<String, Integer> duplicateEvents() {
		Map<String, Integer> duplicates = new LinkedHashMap<>();
		copiesByEventId.forEach((eventId, copies) -> {
			if (copies > 1) {
				duplicates.put(eventId, copies);
			}
		});
		return duplicates;
	}

	/** The recipients of this run's invitation mails, by meeting title. */
	private static Map<String, List<String>> invitations() {
		Map<String, List<String>> byTitle = new HashMap<>();
		String prefix = "Invitation: ";
		for (MimeMessage message : system.mail.getReceivedMessages()) {
			try {
				String subject = message.getSubject();
				if (subject != null && subject.startsWith(prefix + "Scale " + run)) {
					byTitle.computeIfAbsent(subject.substring(prefix.length()), (title) -> new ArrayList<>())
						.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
				}
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return byTitle;
	}

	private static long unpublishedOutboxRows() throws Exception {
		return count("SELECT count(*) FROM meeting.outbox WHERE published_at IS NULL");
	}

	private static long meetingRows() throws Exception {
		return count("SELECT count(*) FROM meeting.meetings");
	}

	private static long count(String sql) throws Exception {
		try (Connection db = system.stack.openJdbc(); ResultSet rows = db.createStatement().executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/** CPU time and resident memory of the service processes, from /proc (Linux), for the capacity figures. */
	static final class ProcessFigures {

		private static final double TICKS_PER_SECOND = 100;

		static Map<String, long[]> cpuTicks(List<ServiceProcess> processes) {
			Map<String, long[]> ticks = new LinkedHashMap<>();
			for (ServiceProcess process : processes) {
				ticks.put(process.name() + ":" + process.port(), new long[] { ticks(process.pid()) });
			}
			return ticks;
		}

		static void printCpuPerBooking(String phase, List<ServiceProcess> processes, Map<String, long[]> before,
				int bookings) {
			Map<String, Double> byService = new LinkedHashMap<>();
			for (ServiceProcess process : processes) {
				long[] start = before.get(process.name() + ":" + process.port());
				double ms = (ticks(process.pid()) - start[0]) * 1000 / TICKS_PER_SECOND;
				byService.merge(process.name(), ms / bookings, Double::sum);
			}
			byService.forEach((service, ms) -> System.out.printf("scale-out: %s: %s CPU-ms per booking (both instances)%n",
					phase, service + " " + String.format("%.2f", ms)));
		}

		static void print(String moment, List<ServiceProcess> processes) {
			for (ServiceProcess process : processes) {
				System.out.printf("scale-out: %s: %s:%d RSS %d MiB%n", moment, process.name(), process.port(),
						rssKib(process.pid()) / 1024);
			}
		}

		private static long ticks(long pid) {
			try {
				String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException | RuntimeException ex) {
				return 0;
			}
		}

		private static long rssKib(long pid) {
			try {
				return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
					.filter((line) -> line.startsWith("VmRSS:"))
					.mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
					.findFirst()
					.orElse(0);
			}
			catch (IOException ex) {
				return 0;
			}
		}

	}

}
