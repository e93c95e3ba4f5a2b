package dev.seed.meetings.meeting.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.ChannelPool;
import reactor.rabbitmq.ChannelPoolFactory;
import reactor.rabbitmq.ChannelPoolOptions;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.OutboundMessageResult;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.RabbitFluxException;
import reactor.rabbitmq.SendOptions;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.RabbitConnectionProperties;

/**
 * {@link EventPublisher} on reactor-rabbitmq: one long-lived, self-recovering connection for the whole service and
 * a pool of channels that the senders share. {@code meeting.events.confirm} times each message from the start of
 * its batch to the broker's answer (tag {@code outcome}: ack, nack, returned).
 */
@Component
class RabbitEventPublisher implements EventPublisher, SmartLifecycle {

	static final String EXCHANGE = "meeting.events";

	static final String QUEUE = "notification.meeting.created";

	private static final String CONNECTION_NAME = "meeting-reactive";

	private static final int CHANNELS = 8;

	private static final Logger log = LoggerFactory.getLogger(RabbitEventPublisher.class);

	private final AtomicReference<Connection> connection = new AtomicReference<>();

	private final ConnectionFactory factory;

	private volatile Sender sender;

	private volatile ChannelPool channels;

	private volatile SendOptions sendOptions;

	/** Set by a stop: the connection, sender and pool are closed and a start must open new ones. */
	private volatile boolean closed;

	private final MeterRegistry meters;

	private final TraceHeaders traceHeaders;

	private volatile Disposable topology;

	private volatile boolean running;

	RabbitEventPublisher(RabbitConnectionProperties properties, MeterRegistry meters, TraceHeaders traceHeaders) {
		this.meters = meters;
		this.traceHeaders = traceHeaders;
		this.factory = new ConnectionFactory();
		this.factory.setHost(properties.host());
		this.factory.setPort(properties.port());
		this.factory.setUsername(properties.username());
		this.factory.setPassword(properties.password());
		this.factory.setVirtualHost(properties.virtualHost());
		this.factory.setAutomaticRecoveryEnabled(true);
		this.factory.setConnectionTimeout(5_000);
		this.factory.useNio();
		open();
	}

	/** A fresh connection (opened on first use), sender and channel pool; again on a start after a stop. */
	private void open() {
		// Errors are not cached, so that a broker that is down at start-up is tried again on the next publish;
		// once connected, automatic recovery keeps this one connection alive.
		Mono<Connection> connectionMono = Mono.fromCallable(() -> this.factory.newConnection(CONNECTION_NAME))
			.doOnNext(this.connection::set)
			.subscribeOn(Schedulers.boundedElastic())
			.cache((value) -> Duration.ofMillis(Long.MAX_VALUE), (error) -> Duration.ZERO, () -> Duration.ZERO);
		this.sender = RabbitFlux.createSender(new SenderOptions().connectionMono(connectionMono)
			.resourceManagementScheduler(Schedulers.boundedElastic()));
		this.channels = ChannelPoolFactory.createChannelPool(connectionMono,
				new ChannelPoolOptions().maxCacheSize(CHANNELS));
		// mandatory publishing: an event no queue would get comes back as returned, not silently dropped.
		// A publish that throws fails at once: the library's default handler would sleep and retry for up to 10 s on
		// the publishing thread while the broker is away, and the outbox retries anyway.
		this.sendOptions = new SendOptions().trackReturned(true).channelPool(this.channels)
			.exceptionHandler(RabbitEventPublisher::failFast);
	}

	@Override
	public Flux<UUID> publishConfirmed(List<OutboundEvent> events) {
		return Flux.defer(() -> {
			// read here, in the caller's trace; the sender subscribes to the messages on threads of its own
			Map<String, Object> headers = this.traceHeaders.current();
			Flux<CorrelableOutboundMessage<UUID>> messages = Flux.fromIterable(events)
				.map((event) -> toMessage(event, headers));
			Timer.Sample sample = Timer.start(this.meters);
			return this.sender.sendWithTypedPublishConfirms(messages, this.sendOptions)
				.doOnNext((result) -> sample.stop(confirmTimer(result)));
		})
			.filter(RabbitEventPublisher::delivered)
			.map((result) -> result.getOutboundMessage().getCorrelationMetadata());
	}

	private static void failFast(Sender.SendContext context, Exception ex) {
		throw new RabbitFluxException("Publishing to the broker failed", ex);
	}

	private Timer confirmTimer(OutboundMessageResult<?> result) {
		String outcome = result.isReturned() ? "returned" : result.isAck() ? "ack" : "nack";
		return Timer.builder("meeting.events.confirm").tag("outcome", outcome).register(this.meters);
	}

	private static boolean delivered(OutboundMessageResult<CorrelableOutboundMessage<UUID>> result) {
		// a returned message is also acked: the broker accepted it but no queue took it
		if (result.isReturned()) {
			log.warn("Event {} was returned unroutable", result.getOutboundMessage().getCorrelationMetadata());
			return false;
		}
		return result.isAck();
	}

	private static CorrelableOutboundMessage<UUID> toMessage(OutboundEvent event, Map<String, Object> headers) {
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
	}

	@Override
	public void stop() {
		this.running = false;
		this.closed = true;
		if (this.topology != null) {
			this.topology.dispose();
		}
		this.channels.close();
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
