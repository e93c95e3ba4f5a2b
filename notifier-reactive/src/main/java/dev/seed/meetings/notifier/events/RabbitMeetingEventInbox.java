package dev.seed.meetings.notifier.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.AcknowledgableDelivery;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.ConsumeOptions;
import reactor.rabbitmq.ExceptionHandlers;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.OutboundMessage;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.Receiver;
import reactor.rabbitmq.ReceiverOptions;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;

/**
 * The {@link MeetingEventInbox} on RabbitMQ (any AMQP 0-9-1 broker): one recovering connection shared by the
 * receiver and the sender, topology declared at start-up exactly as the publisher declares it.
 */
@Component
class RabbitMeetingEventInbox implements MeetingEventInbox, DisposableBean {

	private static final String EXCHANGE = BrokerNames.EXCHANGE;

	private static final String ROUTING_KEY = BrokerNames.MEETING_CREATED;

	private static final String QUEUE = BrokerNames.CREATED_QUEUE;

	private static final String PARKING_QUEUE = BrokerNames.CREATED_PARKING_QUEUE;

	private static final String PARKED_REASON_HEADER = BrokerNames.PARKED_REASON_HEADER;

	private static final String CONNECTION_NAME = BrokerNames.CONNECTION;

	private static final Logger log = LoggerFactory.getLogger(RabbitMeetingEventInbox.class);

	private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

	// fields of the same shape as MeetingCreatedConsumer's: declarations, nothing to share
	private final Connection connection;

	private final Sender sender;

	private final Receiver receiver;

	private final int prefetch;

	// acks and nacks write to the channel's socket: never on a Netty or R2DBC thread
	private final Scheduler settleScheduler = Schedulers.newBoundedElastic(4, 10_000, "amqp-settle");

	RabbitMeetingEventInbox(RabbitConnectionProperties rabbit, NotifierProperties notifier) {
		this.connection = connect(rabbit);
		Mono<Connection> shared = Mono.just(this.connection);
		this.sender = RabbitFlux.createSender(new SenderOptions().connectionMono(shared));
		this.receiver = RabbitFlux.createReceiver(new ReceiverOptions().connectionMono(shared));
		this.prefetch = notifier.maxConcurrentSends();
		declareTopology();
	}

	private static Connection connect(RabbitConnectionProperties rabbit) {
		ConnectionFactory factory = rabbit.connectionFactory();
		factory.setAutomaticRecoveryEnabled(true);
		factory.setTopologyRecoveryEnabled(true);
		factory.setConnectionTimeout((int) BROKER_TIMEOUT.toMillis());
		factory.setHandshakeTimeout((int) BROKER_TIMEOUT.toMillis());
		factory.setNetworkRecoveryInterval(2_000);
		// at start-up, on the main thread: without its broker connection the notifier has nothing to do
		return Mono.fromCallable(() -> factory.newConnection(CONNECTION_NAME))
			.retryWhen(Retry.backoff(5, Duration.ofSeconds(1)).jitter(0.5))
			.block();
	}

	private void declareTopology() {
		Mono.when(
				this.sender.declareExchange(ExchangeSpecification.exchange(EXCHANGE).type("topic").durable(true)),
				this.sender.declareQueue(QueueSpecification.queue(QUEUE).durable(true)),
				this.sender.declareQueue(QueueSpecification.queue(PARKING_QUEUE).durable(true)))
			.then(this.sender.bind(BindingSpecification.binding(EXCHANGE, ROUTING_KEY, QUEUE)))
			// at start-up, before consuming: the queue must exist first
			.block(BROKER_TIMEOUT);
	}

	@Override
	public Flux<InboundMessage> receive() {
		return receive(QUEUE);
	}

	/** Deliveries of another of this service's queues, on the shared connection, settled the same way. */
	Flux<InboundMessage> receive(String queue) {
		ConsumeOptions options = new ConsumeOptions().qos(this.prefetch)
			.exceptionHandler(new ExceptionHandlers.RetryAcknowledgmentExceptionHandler(Duration.ofSeconds(30),
					Duration.ofMillis(500), ExceptionHandlers.CONNECTION_RECOVERY_PREDICATE));
		return this.receiver.consumeManualAck(queue, options).map(RabbitMessage::new);
	}

	@Override
	public Mono<Void> park(InboundMessage message, String reason) {
		return park(message, reason, PARKING_QUEUE);
	}

	/** Moves a message of any of this service's queues to the given parking queue, then acknowledges it. */
	Mono<Void> park(InboundMessage message, String reason, String parkingQueue) {
		AMQP.BasicProperties original = ((RabbitMessage) message).delivery.getProperties();
		Map<String, Object> headers = new HashMap<>(message.headers());
		headers.put(PARKED_REASON_HEADER, reason);
		AMQP.BasicProperties properties = original.builder().headers(headers).deliveryMode(2).build();
		OutboundMessage parked = new OutboundMessage("", parkingQueue, properties, message.body());
		return this.sender.sendWithPublishConfirms(Mono.just(parked))
			.subscribeOn(this.settleScheduler)
			.next()
			.timeout(BROKER_TIMEOUT)
			.flatMap((result) -> result.isAck() ? message.ack()
					: Mono.error(new IllegalStateException("the broker refused the parked message")));
	}

	/** The shared connection, for the other publishers of this service. */
	Connection connection() {
		return this.connection;
	}

	Sender sender() {
		return this.sender;
	}

	@Override
	public void destroy() {
		this.receiver.close();
		this.sender.close();
		try {
			if (this.connection.isOpen()) {
				this.connection.close((int) BROKER_TIMEOUT.toMillis());
			}
		}
		catch (Exception ex) {
			log.warn("Closing the broker connection failed: {}", ex.toString());
		}
		this.settleScheduler.dispose();
	}

	private final class RabbitMessage implements InboundMessage {

		private final AcknowledgableDelivery delivery;

		RabbitMessage(AcknowledgableDelivery delivery) {
			this.delivery = delivery;
		}

		@Override
		public byte[] body() {
			return this.delivery.getBody();
		}

		@Override
		public Map<String, Object> headers() {
			Map<String, Object> headers = this.delivery.getProperties().getHeaders();
			return (headers != null) ? headers : Map.of();
		}

		@Override
		public String messageId() {
			return this.delivery.getProperties().getMessageId();
		}

		@Override
		public Mono<Void> ack() {
			return Mono.fromRunnable(this.delivery::ack).subscribeOn(RabbitMeetingEventInbox.this.settleScheduler).then();
		}

		@Override
		public Mono<Void> requeue() {
			return Mono.fromRunnable(() -> this.delivery.nack(true))
				.subscribeOn(RabbitMeetingEventInbox.this.settleScheduler)
				.then();
		}

	}

}
