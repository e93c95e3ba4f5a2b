package dev.seed.meetings.notifier;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.seed.meetings.testsupport.TestStack;

import static org.awaitility.Awaitility.await;

/**
 * One notifier against this run's PostgreSQL database and RabbitMQ vhost, mailing through {@link SmtpProxy} into an
 * in-process GreenMail. All integration test classes share this context (and so one consumer on the queue).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "notifier.max-concurrent-sends=3", "notifier.retry.first-backoff=100ms",
				"notifier.retry.max-backoff=1s", "notifier.retry.give-up-after=30s", "notifier.retry.poll-interval=200ms",
				"notifier.claim-ttl=5s", "notifier.claim-renew-every=1s", "notifier.requeue-delay=200ms",
				"notifier.max-message-failures=3", "notifier.smtp.timeout=5s",
				"notifier.public-base-url=https://meet.example.com",
				"notifier.invitations.secret=" + NotifierIntegrationTest.INVITATION_SECRET })
// 30 s, not the default 5 s, for each answer: once, in CI, a health probe took longer than 5 s (not reproduced in
// ten runs since); a test here asserts answers, and a slow moment of a shared machine is not a wrong one
@AutoConfigureWebTestClient(timeout = "PT30S")
public abstract class NotifierIntegrationTest {

	static final String INVITATION_SECRET = "test-invitation-secret-0123456789abcdef";

	static final String EXCHANGE = "meeting.events";

	static final String QUEUE = "notification.meeting.created";

	static final String DLQ = "notification.meeting.created.dlq";

	static final GreenMail greenMail = new GreenMail(new ServerSetup(SmtpProxy.freePort(), "127.0.0.1", "smtp"));

	static final SmtpProxy smtp;

	static {
		greenMail.start();
		smtp = new SmtpProxy(SmtpProxy.freePort(), greenMail.getSmtp().getPort());
		smtp.up();
	}

	private static com.rabbitmq.client.Connection rabbit;

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("notifier.smtp.host", () -> "127.0.0.1");
		registry.add("notifier.smtp.port", smtp::port);
	}

	@BeforeEach
	void resetSmtp() {
		smtp.reset();
	}

	@AfterAll
	static void closeRabbit() throws IOException {
		if (rabbit != null && rabbit.isOpen()) {
			rabbit.close();
		}
		rabbit = null;
	}

	static synchronized Channel channel() throws Exception {
		if (rabbit == null || !rabbit.isOpen()) {
			ConnectionFactory factory = new ConnectionFactory();
			factory.setHost(TestStack.get().rabbitHost());
			factory.setPort(TestStack.get().rabbitPort());
			factory.setVirtualHost(TestStack.get().vhost());
			rabbit = factory.newConnection("notifier-tests");
		}
		return rabbit.createChannel();
	}

	/** Publishes as meeting-reactive does: persistent JSON on the topic exchange, message id = event id. */
	static void publish(String messageId, String body) throws Exception {
		publish("meeting.created", messageId, body);
	}

	/** The same with another routing key. */
	static void publish(String routingKey, String messageId, String body) throws Exception {
		try (Channel channel = channel()) {
			channel.confirmSelect();
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
				.deliveryMode(2)
				.messageId(messageId)
				.build();
			channel.basicPublish(EXCHANGE, routingKey, true, properties, body.getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(5_000);
		}
	}

	/** Ready messages, from a passive declare. */
	static long readyMessages(String queue) throws Exception {
		try (Channel channel = channel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

	/** Ready plus unacknowledged messages, which a passive declare does not show, from rabbitmqctl. */
	static long readyAndUnacked(String queue) {
		String output = TestStack.rabbitmqctlOutput("-q", "list_queues", "-p", TestStack.get().vhost(), "name",
				"messages");
		if (output == null) {
			throw new IllegalStateException("rabbitmqctl list_queues failed");
		}
		return Arrays.stream(output.split("\n"))
			.map((line) -> line.strip().split("\\s+"))
			.filter((columns) -> columns.length == 2 && columns[0].equals(queue))
			.mapToLong((columns) -> Long.parseLong(columns[1]))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("queue " + queue + " not listed: " + output));
	}

	/**
	 * Waits until the queue holds nothing, acked included. Without a real RabbitMQ (stand-in broker, no
	 * rabbitmqctl) only ready messages can be seen.
	 */
	static void awaitQueueDrained() {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> TestStack.get().isRabbitMq() ? readyAndUnacked(QUEUE) == 0 : readyMessages(QUEUE) == 0);
	}

	record Person(String userId, String name, String email) {
	}

	static List<Person> attendees(int count) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<Person> people = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			people.add(new Person("u-" + run + "-" + i, "Person " + i, "p" + i + "-" + run + "@example.com"));
		}
		return people;
	}

	static String event(String eventId, UUID meetingId, String title, List<Person> attendees) {
		String list = attendees.stream()
			.map((p) -> """
					{"userId":"%s","name":"%s","email":"%s","timezone":"ignored-extra-field"}"""
				.formatted(p.userId(), p.name(), p.email()))
			.collect(Collectors.joining(","));
		return """
				{"eventId":"%s","type":"MeetingCreated","occurredAt":"2026-11-20T08:00:00Z","meetingId":"%s",
				 "title":"%s","startAt":"2026-12-01T10:00:00+09:00","endAt":"2026-12-01T11:00:00+09:00",
				 "location":"Room 3F-A","organizerId":"u-organizer","schemaVersion":2,"attendees":[%s]}"""
			.formatted(eventId, meetingId, title, list);
	}

	/** status and attempts per user id, straight from the table. */
	static Map<String, Row> deliveries(UUID meetingId) throws SQLException {
		try (Connection connection = TestStack.get().openJdbc();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT user_id, status, attempts, last_error FROM notifier.deliveries WHERE meeting_id = ?")) {
			statement.setObject(1, meetingId);
			Map<String, Row> rows = new HashMap<>();
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					rows.put(result.getString(1), new Row(result.getString(2), result.getInt(3), result.getString(4)));
				}
			}
			return rows;
		}
	}

	record Row(String status, int attempts, String lastError) {
	}

	static void awaitAllSettled(UUID meetingId, int attendees, Duration timeout) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
			Map<String, Row> rows = deliveries(meetingId);
			return rows.size() == attendees
					&& rows.values().stream().allMatch((r) -> r.status().equals("SENT") || r.status().equals("FAILED"));
		});
	}

	static List<MimeMessage> mailTo(String email) throws MessagingException {
		List<MimeMessage> messages = new ArrayList<>();
		for (MimeMessage message : greenMail.getReceivedMessages()) {
			Address[] to = message.getRecipients(Message.RecipientType.TO);
			if (to != null && Arrays.stream(to).anyMatch((address) -> address.toString().contains(email))) {
				messages.add(message);
			}
		}
		return messages;
	}

	/** The text/calendar part of a message, with its content type. */
	static BodyPart calendarPart(Part part) throws Exception {
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart found = (multipart.getBodyPart(i).isMimeType("text/calendar")) ? multipart.getBodyPart(i)
						: calendarPart(multipart.getBodyPart(i));
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	static Calendar parse(BodyPart calendarPart) throws Exception {
		String ics = new String(calendarPart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new CalendarBuilder().build(new StringReader(ics));
	}

}
