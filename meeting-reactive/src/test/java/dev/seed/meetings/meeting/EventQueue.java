package dev.seed.meetings.meeting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.testsupport.TestStack;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A private queue the test binds to {@code meeting.created} (or other routing keys) in this run's vhost, to see what the service published.
 */
public final class EventQueue implements AutoCloseable {

	private final Connection connection;

	private final Channel channel;

	private final String queue;

	public EventQueue() throws Exception {
		this("meeting.created");
	}

	/** A private queue bound to each of {@code routingKeys}. */
	public EventQueue(String... routingKeys) throws Exception {
		TestStack stack = TestStack.get();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(stack.rabbitHost());
		factory.setPort(stack.rabbitPort());
		factory.setVirtualHost(stack.vhost());
		this.connection = factory.newConnection("meeting-reactive-test");
		this.channel = this.connection.createChannel();
		this.channel.exchangeDeclare("meeting.events", "topic", true);
		this.queue = this.channel.queueDeclare().getQueue();
		for (String routingKey : routingKeys) {
			this.channel.queueBind(this.queue, "meeting.events", routingKey);
		}
	}

	/** Waits up to {@code timeout} for {@code count} messages and gives those that came. */
	public List<GetResponse> take(int count, Duration timeout) throws Exception {
		List<GetResponse> messages = new ArrayList<>();
		try {
			await(count + " messages").atMost(timeout)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(50))
				.pollInSameThread()
				.until(() -> receive(messages, count) >= count);
		}
		catch (ConditionTimeoutException ex) {
			// fewer came in time: the caller asserts on those that did
		}
		return messages;
	}

	/** Adds what the queue holds now, up to {@code count} in all; the number held after. */
	private int receive(List<GetResponse> messages, int count) throws Exception {
		GetResponse response;
		while (messages.size() < count && (response = this.channel.basicGet(this.queue, true)) != null) {
			messages.add(response);
		}
		return messages.size();
	}

	/** Whatever arrives within {@code quiet}. */
	public List<GetResponse> drain(Duration quiet) throws Exception {
		return take(Integer.MAX_VALUE, quiet);
	}

	public static String body(GetResponse response) {
		return new String(response.getBody(), StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws Exception {
		this.connection.close();
	}

}
