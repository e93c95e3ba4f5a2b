package dev.seed.meetings.support.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.seed.meetings.testsupport.TestStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The confirmed publisher against this run's vhost: acks, returns and a channel that closes under a publish. */
class ConfirmedPublisherTests {

	private static final String EXCHANGE = "confirmed-publisher-tests";

	private static final String ROUTED = "routed.key";

	private static final String MUST_BE_ROUTED = "lost.key";

	private static final String MAY_BE_LOST = "optional.key";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<UUID> confirmed = new CopyOnWriteArrayList<>();

	private Connection connection;

	private Sender sender;

	private ConfirmedPublisher<UUID> publisher;

	@BeforeEach
	void start() throws Exception {
		TestStack stack = TestStack.get();
		ConnectionFactory factory = new RabbitConnectionProperties(stack.rabbitHost(), stack.rabbitPort(), "guest",
				"guest", stack.vhost())
			.connectionFactory();
		this.connection = factory.newConnection("confirmed-publisher-tests");
		this.sender = RabbitFlux.createSender(new SenderOptions().connectionMono(Mono.just(this.connection)));
		String queue = "confirmed-publisher-tests-" + UUID.randomUUID();
		this.sender.declareExchange(ExchangeSpecification.exchange(EXCHANGE).type("topic").autoDelete(true))
			.then(this.sender.declareQueue(QueueSpecification.queue(queue).autoDelete(true)))
			.then(this.sender.bind(BindingSpecification.binding(EXCHANGE, ROUTED, queue)))
			.block(Duration.ofSeconds(10));
		this.publisher = new ConfirmedPublisher<>(this.sender, Mono.just(this.connection), "test.events", this.meters,
				16, (routingKey) -> !MAY_BE_LOST.equals(routingKey));
		this.publisher.whenConfirmed(this.confirmed::add);
		this.publisher.start();
		awaitConfirmed();
	}

	@AfterEach
	void stop() throws Exception {
		this.publisher.stop();
		this.sender.close();
		if (this.connection.isOpen()) {
			this.connection.close();
		}
	}

	@Test
	void anAckedMessageAnswersTrueAndReachesTheListener() {
		CorrelableOutboundMessage<UUID> message = message(EXCHANGE, ROUTED);
		this.publisher.publish(message).as(StepVerifier::create).expectNext(true).verifyComplete();
		assertThat(this.confirmed).contains(message.getCorrelationMetadata());
		assertThat(this.meters.get("test.events.confirm").tag("outcome", "ack").timer().count()).isPositive();
	}

	@Test
	void aReturnedMessageAnswersFalseOnlyWhenItMustBeRouted() {
		CorrelableOutboundMessage<UUID> lost = message(EXCHANGE, MUST_BE_ROUTED);
		this.publisher.publish(lost).as(StepVerifier::create).expectNext(false).verifyComplete();
		assertThat(this.confirmed).doesNotContain(lost.getCorrelationMetadata());
		assertThat(this.meters.get("test.events.confirm").tag("outcome", "returned").timer().count()).isOne();

		this.publisher.publish(message(EXCHANGE, MAY_BE_LOST)).as(StepVerifier::create).expectNext(true).verifyComplete();
	}

	@Test
	void aPendingPublishAnswersFalseWhenItsChannelClosesAndTheNextOneIsConfirmed() {
		// a publish to an exchange that does not exist gets no confirm: the broker closes the channel instead
		this.publisher.publish(message(EXCHANGE + "-missing", ROUTED))
			.as(StepVerifier::create)
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		awaitConfirmed();
	}

	@Test
	void aPublishWithNoPipelineAnswersFalseAtOnce() {
		this.publisher.stop();
		this.publisher.publish(message(EXCHANGE, ROUTED)).as(StepVerifier::create).expectNext(false).verifyComplete();
	}

	/** Publishes a probe until one is confirmed: the pipeline is up. */
	private void awaitConfirmed() {
		Mono.defer(() -> this.publisher.publish(message(EXCHANGE, ROUTED)))
			.filter(Boolean::booleanValue)
			.repeatWhenEmpty((empty) -> empty.delayElements(Duration.ofMillis(100)))
			.as(StepVerifier::create)
			.expectNext(true)
			.expectComplete()
			.verify(Duration.ofSeconds(15));
	}

	private static CorrelableOutboundMessage<UUID> message(String exchange, String routingKey) {
		return new CorrelableOutboundMessage<>(exchange, routingKey, "{}".getBytes(StandardCharsets.UTF_8),
				UUID.randomUUID());
	}

}
