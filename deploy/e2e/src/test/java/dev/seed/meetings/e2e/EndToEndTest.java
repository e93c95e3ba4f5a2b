package dev.seed.meetings.e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the end-to-end tests share: the running system, an HTTP client on the gateway, the broker and the mail. */
abstract class EndToEndTest {

	static final JsonMapper json = JsonMapper.builder().build();

	static RunningSystem system;

	static WebTestClient client;

	static com.rabbitmq.client.Connection rabbit;

	static Channel channel;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void startSystem() throws Exception {
		system = RunningSystem.get();
		client = WebTestClient.bindToServer()
			.baseUrl(system.gatewayUrl())
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(system.stack.rabbitHost());
		factory.setPort(system.stack.rabbitPort());
		factory.setVirtualHost(system.stack.vhost());
		rabbit = factory.newConnection("e2e-tests");
		channel = rabbit.createChannel();
		channel.exchangeDeclare("meeting.events", "topic", true);
	}

	@AfterAll
	static void closeBroker() throws Exception {
		rabbit.close();
	}

	/** A queue of this test's own that receives every MeetingCreated from now on. */
	static String bindEventQueue(String name) throws Exception {
		channel.queueDeclare(name, false, true, true, null);
		channel.queueBind(name, "meeting.events", "meeting.created");
		return name;
	}

	/** Every MeetingCreated waiting in the queue, read until it stays empty for {@code quiet}. */
	static List<JsonNode> drainEvents(String queue, Duration quiet) {
		List<JsonNode> events = new java.util.ArrayList<>();
		await("nothing more in " + queue + " for " + quiet).during(quiet)
			.atMost(quiet.plusMinutes(1))
			.pollInterval(Duration.ofMillis(100))
			.pollInSameThread()
			.until(() -> {
				int before = events.size();
				GetResponse message;
				while ((message = channel.basicGet(queue, true)) != null) {
					events.add(json.readTree(message.getBody()));
				}
				return events.size() == before;
			});
		return events;
	}

	String createUser(String label) {
		String userId = "u-" + run + "-" + label + "-" + UUID.randomUUID().toString().substring(0, 4);
		client.post()
			.uri("/api/users")
			.header("Authorization", "Bearer " + system.token(userId))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId, "name", "Name " + userId, "email", userId + "@example.com",
					"timezone", "Asia/Seoul"))
			.exchange()
			.expectStatus().isCreated();
		return userId;
	}

	static Map<String, Object> meeting(String title, List<String> attendees) {
		return Map.of("title", title, "startAt", "2026-12-01T10:00:00+09:00", "endAt", "2026-12-01T11:00:00+09:00",
				"location", "Room 3F-A", "attendees", attendees);
	}

	/** The recipients of the mails received so far, by subject, for the subjects that start with {@code prefix}. */
	static Map<String, List<String>> recipientsBySubject(String prefix) {
		Map<String, List<String>> bySubject = new HashMap<>();
		for (MimeMessage message : system.mail.getReceivedMessages()) {
			try {
				if (message.getSubject() != null && message.getSubject().startsWith(prefix)) {
					bySubject.computeIfAbsent(message.getSubject(), (subject) -> new java.util.ArrayList<>())
						.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
				}
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return bySubject;
	}

	static long mailsTo(List<String> userIds) {
		return Arrays.stream(system.mail.getReceivedMessages()).filter((message) -> {
			try {
				String to = ((InternetAddress) message.getAllRecipients()[0]).getAddress();
				return userIds.stream().anyMatch((userId) -> to.equals(userId + "@example.com"));
			}
			catch (MessagingException ex) {
				return false;
			}
		}).count();
	}

	/** The events with their redeliveries dropped: a repeated event id must carry the same meeting as its first copy. */
	static List<JsonNode> distinctByEventId(List<JsonNode> events) {
		Map<String, JsonNode> byEventId = new LinkedHashMap<>();
		for (JsonNode event : events) {
			JsonNode first = byEventId.putIfAbsent(event.get("eventId").asString(), event);
			if (first != null) {
				assertThat(event.get("meetingId").asString()).as("a redelivered event's meeting").isEqualTo(first.get("meetingId").asString());
			}
		}
		return List.copyOf(byEventId.values());
	}

	static void assertOneEventPerMeeting(List<JsonNode> events, int meetings) {
		assertThat(events.stream().map((event) -> event.get("eventId").asString()).distinct()).hasSize(events.size());
		assertThat(events.stream().map((event) -> event.get("meetingId").asString()).distinct()).hasSize(meetings);
	}

}
