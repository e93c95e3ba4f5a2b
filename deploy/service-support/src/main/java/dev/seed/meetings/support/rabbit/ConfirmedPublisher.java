package dev.seed.meetings.support.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
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
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.OutboundMessageResult;
import reactor.rabbitmq.RabbitFluxException;
import reactor.rabbitmq.SendOptions;
import reactor.rabbitmq.Sender;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

/**
 * Confirmed publishing on reactor-rabbitmq through one long-lived pipeline: a single channel in confirm mode
 * (confirm-select once, not per message) fed by a bounded in-memory backlog, whose confirms are routed back to the
 * waiting publisher by the correlation each message carries. When the channel fails, every pending publish answers
 * false and the pipeline reopens with back-off. Each service builds its own, on its own {@link Sender} and
 * connection; nothing here is auto-configured.
 * <p>
 * {@code <metrics>.confirm} times each message from its publish to the broker's answer (tag {@code outcome}: ack,
 * nack, returned). A publish stays pending until the broker answers or the channel fails, also when its caller
 * stopped waiting: a late ack still reaches the {@link #whenConfirmed listener} (counted by
 * {@code <metrics>.late.confirms}). Publishing is mandatory: a message returned unroutable answers false when its
 * routing key must be routed, true otherwise.
 *
 * @param <C> the correlation of a message, its key among the pending publishes (an outbox id, an event id)
 */
public final class ConfirmedPublisher<C> {

	private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);

	// fields of the same shape as meeting-reactive's RabbitEventPublisher, which owns what this one is given
	private final Sender sender;

	private final Mono<Connection> connection;

	private final int backlogSize;

	private final Predicate<String> mustBeRouted;

	private final MeterRegistry meters;

	/** {@code <metrics>.confirm} by outcome: ack, nack, returned (registered once, not looked up per message). */
	private final Map<String, Timer> confirmTimers;

	private final Counter lateConfirms;

	/** Publishes waiting for the broker's answer, by the correlation of their message. */
	private final Map<C, Pending> pending = new ConcurrentHashMap<>();

	private volatile Consumer<C> confirmedListener = (correlation) -> {
	};

	// a Sinks.Many accepts one emitter at a time; callers publish from many threads
	private final Object emitLock = new Object();

	/** The running pipeline's backlog; null while there is none (starting, failed, stopped). */
	private volatile Sinks.Many<CorrelableOutboundMessage<C>> backlog;

	private volatile Disposable pipeline;

	/**
	 * @param sender the service's sender, whose connection {@code connection} is
	 * @param connection the connection the publishing channel is opened on
	 * @param metrics the prefix of the meters ({@code <metrics>.confirm}, {@code <metrics>.late.confirms})
	 * @param meters where they are registered
	 * @param backlogSize messages waiting for the channel; past it a publish answers false at once
	 * @param mustBeRouted whether a message of a routing key must reach a queue to count as published
	 */
	public ConfirmedPublisher(Sender sender, Mono<Connection> connection, String metrics, MeterRegistry meters,
			int backlogSize, Predicate<String> mustBeRouted) {
		this.sender = sender;
		this.connection = connection;
		this.backlogSize = backlogSize;
		this.mustBeRouted = mustBeRouted;
		this.meters = meters;
		this.confirmTimers = Map.of("ack", confirmTimer(metrics, "ack", meters), "nack",
				confirmTimer(metrics, "nack", meters), "returned", confirmTimer(metrics, "returned", meters));
		this.lateConfirms = Counter.builder(metrics + ".late.confirms")
			.description("Broker acks that came after their publisher stopped waiting")
			.register(meters);
	}

	/**
	 * Publishes {@code message}: true once the broker acks it, false on a nack, on a return of a message that must be
	 * routed, on a full backlog or no pipeline (at once), and when the channel fails first. A message whose
	 * correlation is still pending shares the earlier copy's answer. The caller bounds its wait itself; the publish
	 * stays pending after it stopped waiting.
	 */
	public Mono<Boolean> publish(CorrelableOutboundMessage<C> message) {
		C correlation = message.getCorrelationMetadata();
		Pending fresh = new Pending(Sinks.one(), Timer.start(this.meters));
		Pending waiting = this.pending.putIfAbsent(correlation, fresh);
		if (waiting == null) {
			waiting = fresh;
		}
		if (!offer(message)) {
			this.pending.remove(correlation, fresh);
			return Mono.just(false);
		}
		return waiting.confirmed().asMono();
	}

	/** Told of every acked message that counts as published, also when its publisher stopped waiting. */
	public void whenConfirmed(Consumer<C> listener) {
		this.confirmedListener = listener;
	}

	public int backlogSize() {
		return this.backlogSize;
	}

	private boolean offer(CorrelableOutboundMessage<C> message) {
		Sinks.Many<CorrelableOutboundMessage<C>> current = this.backlog;
		if (current == null) {
			return false;
		}
		synchronized (this.emitLock) {
			return current.tryEmitNext(message).isSuccess();
		}
	}

	/** Opens the channel and publishes whatever the backlog receives until the channel fails; then starts over. */
	public void start() {
		this.pipeline = Flux.defer(this::publishing)
			.doOnNext(this::answer)
			.doOnError(this::failPending)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(5))
				.transientErrors(true)
				.doBeforeRetry((signal) -> log.warn("Publishing channel failed, reopening: {}",
						signal.failure().toString())))
			.subscribe();
	}

	/** Ends the pipeline (its channel closes) and answers false to every pending publish; the sender stays open. */
	public void stop() {
		Disposable running = this.pipeline;
		if (running != null) {
			running.dispose();
			this.backlog = null;
			failPending(new IllegalStateException("stopped"));
		}
	}

	private Flux<OutboundMessageResult<CorrelableOutboundMessage<C>>> publishing() {
		Sinks.Many<CorrelableOutboundMessage<C>> next = Sinks.many()
			.unicast()
			.onBackpressureBuffer(Queues.<CorrelableOutboundMessage<C>>get(this.backlogSize).get());
		// mandatory publishing: a message no queue would get comes back as returned, not silently dropped.
		// A publish that throws fails at once: the library's default handler would sleep and retry for up to 10 s on
		// the publishing thread while the broker is away.
		SendOptions options = new SendOptions().trackReturned(true)
			.exceptionHandler(ConfirmedPublisher::failFast)
			.channelMono(openChannel(next))
			.channelCloseHandler(ConfirmedPublisher::closeLater);
		// the backlog opens to callers once the channel is in confirm mode and the sender reads it;
		// basicPublish may wait on the channel's lock, so it runs on a thread that may block
		Flux<CorrelableOutboundMessage<C>> messages = next.asFlux()
			.doOnSubscribe((subscription) -> open(next))
			.publishOn(Schedulers.boundedElastic());
		// the backlog closes before the pending publishes are failed, so that none joins them afterwards
		return this.sender.sendWithTypedPublishConfirms(messages, options)
			.doOnTerminate(() -> closeBacklog(next))
			.doFinally((signal) -> closeBacklog(next));
	}

	private void open(Sinks.Many<CorrelableOutboundMessage<C>> next) {
		// whatever is still pending went to a channel that is gone (a publish that slipped into the previous backlog
		// as it failed): no answer will come for it
		if (!this.pending.isEmpty()) {
			failPending(new IllegalStateException("channel reopened"));
		}
		this.backlog = next;
	}

	private Mono<Channel> openChannel(Sinks.Many<CorrelableOutboundMessage<C>> owner) {
		return this.connection.publishOn(Schedulers.boundedElastic()).map((open) -> {
			Channel channel;
			try {
				channel = open.createChannel();
			}
			catch (IOException ex) {
				throw new RabbitFluxException("Cannot open the publishing channel", ex);
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

	private void fail(Sinks.Many<CorrelableOutboundMessage<C>> owner, ShutdownSignalException cause) {
		synchronized (this.emitLock) {
			closeBacklog(owner);
			owner.tryEmitError(cause);
		}
	}

	private void closeBacklog(Sinks.Many<CorrelableOutboundMessage<C>> owner) {
		if (this.backlog == owner) {
			this.backlog = null;
		}
	}

	private void answer(OutboundMessageResult<CorrelableOutboundMessage<C>> result) {
		C correlation = result.getOutboundMessage().getCorrelationMetadata();
		Pending waiting = this.pending.remove(correlation);
		String outcome = result.isReturned() ? "returned" : result.isAck() ? "ack" : "nack";
		// a returned message is also acked: the broker accepted it but no queue took it
		boolean lost = result.isReturned() && this.mustBeRouted.test(result.getOutboundMessage().getRoutingKey());
		if (lost) {
			log.warn("Message {} was returned unroutable", correlation);
		}
		boolean confirmed = !lost && result.isAck();
		if (confirmed) {
			this.confirmedListener.accept(correlation);
		}
		if (waiting == null) {
			// the answer to a second copy, the first one's answer came already
			return;
		}
		waiting.sample().stop(this.confirmTimers.get(outcome));
		if (waiting.confirmed().currentSubscriberCount() == 0) {
			if (confirmed) {
				this.lateConfirms.increment();
			}
			log.debug("Broker answered {} for message {} after its publisher stopped waiting", outcome, correlation);
		}
		waiting.confirmed().tryEmitValue(confirmed);
	}

	private void failPending(Throwable failure) {
		log.debug("Failing {} pending publish(es): {}", this.pending.size(), failure.toString());
		this.pending.keySet().forEach((correlation) -> {
			Pending waiting = this.pending.remove(correlation);
			if (waiting != null) {
				waiting.confirmed().tryEmitValue(false);
			}
		});
	}

	private static Timer confirmTimer(String metrics, String outcome, MeterRegistry meters) {
		return Timer.builder(metrics + ".confirm")
			.description("From a publish to the broker's answer")
			.tag("outcome", outcome)
			.register(meters);
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
				log.debug("Closing the publishing channel: {}", ex.toString());
			}
		});
	}

	private record Pending(Sinks.One<Boolean> confirmed, Timer.Sample sample) {
	}

}
