package dev.seed.meetings.meeting.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.seed.meetings.testsupport.TestStack;

/**
 * Publishes on {@code meeting.events} in this run's vhost as the notifier does, with publisher confirms.
 */
final class BrokerPublisher implements AutoCloseable {

	private final Connection connection;

	private final Channel channel;

	BrokerPublisher() throws Exception {
		TestStack stack = TestStack.get();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(stack.rabbitHost());
		factory.setPort(stack.rabbitPort());
		factory.setVirtualHost(stack.vhost());
		this.connection = factory.newConnection("meeting-reactive-stream-test");
		this.channel = this.connection.createChannel();
		this.channel.exchangeDeclare("meeting.events", "topic", true);
		this.channel.confirmSelect();
	}

	/** An {@code InvitationSent} in the contract's shape; gives its event id. */
	String invitationSent(String meetingId, String userId) throws Exception {
		String eventId = UUID.randomUUID().toString();
		String body = """
				{"eventId":"%s","type":"InvitationSent","occurredAt":"%s","meetingId":"%s","userId":"%s",\
				"email":"%s@example.test","attempts":1}""".formatted(eventId, Instant.now(), meetingId, userId, userId);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.messageId(eventId)
			.build();
		this.channel.basicPublish("meeting.events", "invitation.sent", properties, body.getBytes(StandardCharsets.UTF_8));
		this.channel.waitForConfirmsOrDie(5_000);
		return eventId;
	}

	@Override
	public void close() throws Exception {
		this.connection.close();
	}

}
