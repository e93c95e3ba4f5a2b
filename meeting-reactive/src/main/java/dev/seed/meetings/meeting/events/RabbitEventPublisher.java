package dev.seed.meetings.meeting.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrafficListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.support.context.RequestContext;
import dev.seed.meetings.support.rabbit.ConfirmedPublisher;
import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;

/**
 * {@link EventPublisher} on reactor-rabbitmq: one long-lived, self-recovering connection for the whole service and
 * on it the shared {@link ConfirmedPublisher} (one confirmed channel fed by a bounded backlog, confirms routed back by
 * the outbox id each message carries; when the channel fails every pending publish answers false, the outbox has
 * them). {@code meeting.events.confirm} times each message from its publish to the broker's answer (tag
 * {@code outcome}: ack, nack, returned). A publish stays pending until the broker answers or the channel fails, also
 * when its caller stopped waiting: a late ack still reaches {@link #whenConfirmed} (counted by
 * {@code meeting.events.late.confirms}).
 */
@Component
class RabbitEventPublisher implements EventPublisher, SmartLifecycle {

	static final String EXCHANGE = BrokerNames.EXCHANGE;

	static final String QUEUE = BrokerNames.NOTIFICATION_QUEUE;

	private static final String CONNECTION_NAME = BrokerNames.PUBLISHER_CONNECTION;

	/** Messages waiting for the channel; past it a publish is refused at once and left to the outbox relay. */
	static final int BACKLOG = 1024;

	private static final Logger log = LoggerFactory.getLogger(RabbitEventPublisher.class);

	// fields of the same shape as ConfirmedPublisher's: this class owns the connection and sender it hands over
	private final AtomicReference<Connection> connection = new AtomicReference<>();

	private final ConnectionFactory factory;

	private volatile Mono<Connection> connectionMono;

	private volatile Sender sender;

	private volatile ConfirmedPublisher<UUID> publisher;

	/** Set by a stop: the connection and sender are closed and a start must open new ones. */
	private volatile boolean closed;

	private final MeterRegistry meters;

	private final TraceHeaders traceHeaders;

	private volatile Consumer<UUID> confirmedListener = (outboxId) -> {
	};

	private volatile Disposable topology;

	private volatile boolean running;

	@Autowired
	RabbitEventPublisher(RabbitConnectionProperties properties, MeterRegistry meters, TraceHeaders traceHeaders) {
		this(properties, meters, traceHeaders, TrafficListener.NO_OP);
	}

	/** With a listener that sees every AMQP command of the connection. */
	RabbitEventPublisher(RabbitConnectionProperties properties, MeterRegistry meters, TraceHeaders traceHeaders,
			TrafficListener traffic) {
		this.meters = meters;
		this.traceHeaders = traceHeaders;
		this.factory = properties.connectionFactory();
		this.factory.setAutomaticRecoveryEnabled(true);
		this.factory.setConnectionTimeout(5_000);
		this.factory.setTrafficListener(traffic);
		this.factory.useNio();
		open();
	}

	/** A fresh connection (opened on first use), sender and publisher; again on a start after a stop. */
	private void open() {
		// Errors are not cached, so that a broker that is down at start-up is tried again on the next publish;
		// once connected, automatic recovery keeps this one connection alive.
		this.connectionMono = Mono.fromCallable(() -> this.factory.newConnection(CONNECTION_NAME))
			.doOnNext(this.connection::set)
			.subscribeOn(Schedulers.boundedElastic())
			.cache((value) -> Duration.ofMillis(Long.MAX_VALUE), (error) -> Duration.ZERO, () -> Duration.ZERO);
		this.sender = RabbitFlux.createSender(new SenderOptions().connectionMono(this.connectionMono)
			.resourceManagementScheduler(Schedulers.boundedElastic()));
		ConfirmedPublisher<UUID> next = new ConfirmedPublisher<>(this.sender, this.connectionMono, "meeting.events",
				this.meters, BACKLOG, RabbitEventPublisher::mustBeRouted);
		next.whenConfirmed((outboxId) -> this.confirmedListener.accept(outboxId));
		this.publisher = next;
	}

	@Override
	public Mono<Boolean> publishConfirmed(OutboundEvent event) {
		// the trace headers are read here, in the caller's trace (restored on this thread); the message is published
		// on the pipeline's thread. A copy of an event still unanswered (the relay's, after its bound) shares the
		// earlier copy's answer, which stays pending when the caller stops waiting: a late answer is still recorded.
		return RequestContext.within(() -> this.publisher.publish(toMessage(event, this.traceHeaders.current())));
	}

	@Override
	public void whenConfirmed(Consumer<UUID> listener) {
		this.confirmedListener = listener;
	}

	/**
	 * Whether an event must reach a queue to count as published: {@code MeetingCreated} has the notifier's durable queue,
	 * {@code MeetingUpdated} and {@code MeetingCancelled} its {@code notification.meeting.changed};
	 * {@code InvitationAnswered} is for the live streams, and with no stream open anywhere nobody is waiting for it.
	 */
	private static boolean mustBeRouted(String routingKey) {
		return !InvitationAnswered.ROUTING_KEY.equals(routingKey);
	}

	private static CorrelableOutboundMessage<UUID> toMessage(OutboundEvent event, Map<String, Object> headers) {
		// the same properties as the notifier's RabbitInvitationEvents: builder calls, each service's own event
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.headers(headers.isEmpty() ? null : headers)
			.contentEncoding("UTF-8")
			.deliveryMode(2)
			.messageId(event.eventId().toString())
			.type(event.type())
			.timestamp(Date.from(Instant.now()))
			.build();
		return new CorrelableOutboundMessage<>(EXCHANGE, event.routingKey(), properties,
				event.payload().getBytes(StandardCharsets.UTF_8), event.outboxId());
	}

	/** Exchange, queue and binding of the contract; declaring them again with the same arguments is a no-op. */
	Mono<Void> declareTopology() {
		return this.sender.declareExchange(ExchangeSpecification.exchange(EXCHANGE).type("topic").durable(true))
			.then(this.sender.declareQueue(QueueSpecification.queue(QUEUE).durable(true)))
			.then(this.sender.bind(BindingSpecification.binding(EXCHANGE, MeetingCreated.ROUTING_KEY, QUEUE)))
			.then();
	}

	@Override
	public void start() {
		if (this.closed) {
			// a stopped context starts again (Spring pauses the contexts it caches between tests)
			open();
			this.closed = false;
		}
		this.running = true;
		this.topology = declareTopology()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
				.doBeforeRetry((signal) -> log.warn("Cannot declare the RabbitMQ topology yet: {}",
						signal.failure().toString())))
			.subscribe();
		this.publisher.start();
	}

	@Override
	public void stop() {
		this.running = false;
		this.closed = true;
		if (this.topology != null) {
			this.topology.dispose();
		}
		this.publisher.stop();
		this.sender.close();
		Connection open = this.connection.get();
		if (open != null && open.isOpen()) {
			try {
				open.close();
			}
			catch (IOException | RuntimeException ex) {
				log.debug("Closing the RabbitMQ connection: {}", ex.toString());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Whether the shared connection is open; false before the first connect and while it recovers. */
	boolean connected() {
		Connection open = this.connection.get();
		return open != null && open.isOpen();
	}

}
