package dev.seed.meetings.meeting.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.TrafficListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.ExchangeSpecification;
import reactor.rabbitmq.OutboundMessageResult;
import reactor.rabbitmq.QueueSpecification;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.RabbitFluxException;
import reactor.rabbitmq.SendOptions;
import reactor.rabbitmq.Sender;
import reactor.rabbitmq.SenderOptions;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;
import dev.seed.meetings.support.context.RequestContext;

/**
 * {@link EventPublisher} on reactor-rabbitmq: one long-lived, self-recovering connection for the whole service and
 * one long-lived publishing pipeline on it: a single confirmed channel (confirm-select once, not per message) fed by
 * a bounded in-memory backlog, whose confirms are routed back to the waiting publisher by the outbox id they carry.
 * When the channel fails the pipeline fails every pending publish (the outbox has them) and reopens with back-off.
 * {@code meeting.events.confirm} times each message from its publish to the broker's answer (tag {@code outcome}:
 * ack, nack, returned). A publish stays pending until the broker answers or the channel fails, also when its caller
 * stopped waiting: a late ack still reaches {@link #whenConfirmed} (counted by {@code meeting.events.late.confirms}).
 */
@Component
class RabbitEventPublisher implements EventPublisher, SmartLifecycle {

	static final String EXCHANGE = BrokerNames.EXCHANGE;

	static final String QUEUE = BrokerNames.NOTIFICATION_QUEUE;

	private static final String CONNECTION_NAME = BrokerNames.PUBLISHER_CONNECTION;

	/** Messages waiting for the channel; past it a publish is refused at once and left to the outbox relay. */
	static final int BACKLOG = 1024;

	private static final Logger log = LoggerFactory.getLogger(RabbitEventPublisher.class);

	private final AtomicReference<Connection> connection = new AtomicReference<>();

	private final ConnectionFactory factory;

	private volatile Mono<Connection> connectionMono;

	private volatile Sender sender;

	/** Set by a stop: the connection and sender are closed and a start must open new ones. */
	private volatile boolean closed;

	private final MeterRegistry meters;

	private final TraceHeaders traceHeaders;

	/** Publishes waiting for the broker's answer, by outbox id (the correlation of their message). */
	private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();

	private final Counter lateConfirms;

	private volatile Consumer<UUID> confirmedListener = (outboxId) -> {
	};

	// a Sinks.Many accepts one emitter at a time; bookings publish from many threads
	private final Object emitLock = new Object();

	/** The running pipeline's backlog; null while there is none (starting, failed, stopped). */
	private volatile Sinks.Many<CorrelableOutboundMessage<UUID>> backlog;

	private volatile Disposable pipeline;

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
		this.lateConfirms = Counter.builder("meeting.events.late.confirms")
			.description("Broker acks that came after their publisher stopped waiting; the row is marked all the same")
			.register(meters);
		this.factory = properties.connectionFactory();
		this.factory.setAutomaticRecoveryEnabled(true);
		this.factory.setConnectionTimeout(5_000);
		this.factory.setTrafficListener(traffic);
		this.factory.useNio();
		open();
	}

	/** A fresh connection (opened on first use) and sender; again on a start after a stop. */
	private void open() {
		// Errors are not cached, so that a broker that is down at start-up is tried again on the next publish;
		// once connected, automatic recovery keeps this one connection alive.
		this.connectionMono = Mono.fromCallable(() -> this.factory.newConnection(CONNECTION_NAME))
			.doOnNext(this.connection::set)
			.subscribeOn(Schedulers.boundedElastic())
			.cache((value) -> Duration.ofMillis(Long.MAX_VALUE), (error) -> Duration.ZERO, () -> Duration.ZERO);
		this.sender = RabbitFlux.createSender(new SenderOptions().connectionMono(this.connectionMono)
			.resourceManagementScheduler(Schedulers.boundedElastic()));
	}

	@Override
	public Mono<Boolean> publishConfirmed(OutboundEvent event) {
		return RequestContext.within(() -> {
			UUID outboxId = event.outboxId();
			// read here, in the caller's trace (restored on this thread); the message is published on the pipeline's
			// thread
			CorrelableOutboundMessage<UUID> message = toMessage(event, this.traceHeaders.current());
			Pending fresh = new Pending(Sinks.one(), Timer.start(this.meters));
			// a copy of an event still unanswered (the relay's, after its bound) shares the earlier copy's answer
			Pending waiting = this.pending.putIfAbsent(outboxId, fresh);
			if (waiting == null) {
				waiting = fresh;
			}
			if (!offer(message)) {
				this.pending.remove(outboxId, fresh);
				return Mono.just(false);
			}
			// stays pending when the caller stops waiting (its timeout): a late answer is still recorded
			return waiting.confirmed().asMono();
		});
	}

	@Override
	public void whenConfirmed(Consumer<UUID> listener) {
		this.confirmedListener = listener;
	}

	private boolean offer(CorrelableOutboundMessage<UUID> message) {
		Sinks.Many<CorrelableOutboundMessage<UUID>> current = this.backlog;
		if (current == null) {
			return false;
		}
		synchronized (this.emitLock) {
			return current.tryEmitNext(message).isSuccess();
		}
	}

	/** Opens the channel and publishes whatever the backlog receives until the channel fails; then starts over. */
	private void startPipeline() {
		this.pipeline = Flux.defer(this::publishing)
			.doOnNext(this::answer)
			.doOnError(this::failPending)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(5))
				.transientErrors(true)
				.doBeforeRetry((signal) -> log.warn("Event publishing channel failed, reopening: {}",
						signal.failure().toString())))
			.subscribe();
	}

	private Flux<OutboundMessageResult<CorrelableOutboundMessage<UUID>>> publishing() {
		Sinks.Many<CorrelableOutboundMessage<UUID>> next = Sinks.many()
			.unicast()
			.onBackpressureBuffer(Queues.<CorrelableOutboundMessage<UUID>>get(BACKLOG).get());
		// mandatory publishing: an event no queue would get comes back as returned, not silently dropped.
		// A publish that throws fails at once: the library's default handler would sleep and retry for up to 10 s on
		// the publishing thread while the broker is away, and the outbox retries anyway.
		SendOptions options = new SendOptions().trackReturned(true)
			.exceptionHandler(RabbitEventPublisher::failFast)
			.channelMono(openChannel(next))
			.channelCloseHandler(RabbitEventPublisher::closeLater);
		// the backlog opens to bookings once the channel is in confirm mode and the sender reads it;
		// basicPublish may wait on the channel's lock, so it runs on a thread that may block
		Flux<CorrelableOutboundMessage<UUID>> messages = next.asFlux()
			.doOnSubscribe((subscription) -> this.backlog = next)
			.publishOn(Schedulers.boundedElastic());
		return this.sender.sendWithTypedPublishConfirms(messages, options).doFinally((signal) -> closeBacklog(next));
	}

	private Mono<Channel> openChannel(Sinks.Many<CorrelableOutboundMessage<UUID>> owner) {
		return this.connectionMono.publishOn(Schedulers.boundedElastic()).map((open) -> {
			Channel channel;
			try {
				channel = open.createChannel();
			}
			catch (IOException ex) {
				throw new RabbitFluxException("Cannot open the event publishing channel", ex);
			}
			if (channel == null) {
				throw new RabbitFluxException("No channel left on the broker connection");
			}
			// The library reports channel errors itself but not a lost connection, after which automatic recovery
			// would reopen this channel with fresh delivery tags under the confirms still awaited: start over instead.
			channel.addShutdownListener((cause) -> {
				if (cause.isHardError() && !cause.isInitiatedByApplication()) {
					fail(owner, cause);
				}
			});
			return channel;
		});
	}

	private void fail(Sinks.Many<CorrelableOutboundMessage<UUID>> owner, ShutdownSignalException cause) {
		synchronized (this.emitLock) {
			closeBacklog(owner);
			owner.tryEmitError(cause);
		}
	}

	private void closeBacklog(Sinks.Many<CorrelableOutboundMessage<UUID>> owner) {
		if (this.backlog == owner) {
			this.backlog = null;
		}
	}

	private void answer(OutboundMessageResult<CorrelableOutboundMessage<UUID>> result) {
		UUID outboxId = result.getOutboundMessage().getCorrelationMetadata();
		Pending waiting = this.pending.remove(outboxId);
		String outcome = result.isReturned() ? "returned" : result.isAck() ? "ack" : "nack";
		// a returned message is also acked: the broker accepted it but no queue took it
		boolean lost = result.isReturned() && mustBeRouted(result.getOutboundMessage().getRoutingKey());
		if (lost) {
			log.warn("Event of outbox row {} was returned unroutable", outboxId);
		}
		boolean confirmed = !lost && result.isAck();
		if (confirmed) {
			this.confirmedListener.accept(outboxId);
		}
		if (waiting == null) {
			// the answer to a second copy, the first one's answer came already
			return;
		}
		waiting.sample().stop(Timer.builder("meeting.events.confirm").tag("outcome", outcome).register(this.meters));
		if (waiting.confirmed().currentSubscriberCount() == 0) {
			if (confirmed) {
				this.lateConfirms.increment();
			}
			log.debug("Broker answered {} for outbox row {} after its publisher stopped waiting", outcome, outboxId);
		}
		waiting.confirmed().tryEmitValue(confirmed);
	}

	/**
	 * Whether an event must reach a queue to count as published: {@code MeetingCreated} has the notifier's durable queue,
	 * {@code MeetingUpdated} and {@code MeetingCancelled} its {@code notification.meeting.changed};
	 * {@code InvitationAnswered} is for the live streams, and with no stream open anywhere nobody is waiting for it.
	 */
	private static boolean mustBeRouted(String routingKey) {
		return !InvitationAnswered.ROUTING_KEY.equals(routingKey);
	}

	private void failPending(Throwable failure) {
		log.debug("Failing {} pending publish(es): {}", this.pending.size(), failure.toString());
		this.pending.keySet().forEach((outboxId) -> {
			Pending waiting = this.pending.remove(outboxId);
			if (waiting != null) {
				waiting.confirmed().tryEmitValue(false);
			}
		});
	}

	private static void failFast(Sender.SendContext context, Exception ex) {
		throw new RabbitFluxException("Publishing to the broker failed", ex);
	}

	/** Closing waits for the broker's answer: never on the thread that reported the end of the pipeline. */
	private static void closeLater(SignalType signal, Channel channel) {
		Schedulers.boundedElastic().schedule(() -> {
			try {
				// also when already closed: that is what stops automatic recovery from reopening it
				channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				log.debug("Closing the event publishing channel: {}", ex.toString());
			}
		});
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
		startPipeline();
	}

	@Override
	public void stop() {
		this.running = false;
		this.closed = true;
		if (this.topology != null) {
			this.topology.dispose();
		}
		if (this.pipeline != null) {
			this.pipeline.dispose();
			this.backlog = null;
			failPending(new IllegalStateException("stopped"));
		}
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

	private record Pending(Sinks.One<Boolean> confirmed, Timer.Sample sample) {
	}

}
