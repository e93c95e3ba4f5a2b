package dev.seed.meetings.notifier.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.ChannelPool;
import reactor.rabbitmq.ChannelPoolFactory;
import reactor.rabbitmq.ChannelPoolOptions;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.rabbitmq.SendOptions;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;

/**
 * {@link InvitationEvents} on the inbox's connection and sender. Outcomes wait in a bounded queue (full: the event
 * is dropped and logged) and are published by one pipeline, a few publishes at a time, each publish carrying the
 * outcomes that queued up meanwhile (up to 32), each event persistent and confirmed by the broker within
 * {@code notifier.events.publish-timeout}; a nack, a timeout or a broker error is logged, never retried.
 */
@Component
class RabbitInvitationEvents implements InvitationEvents, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RabbitInvitationEvents.class);

	private static final int PUBLISHES_IN_FLIGHT = 4;

	private static final int EVENTS_PER_PUBLISH = 32;

	private static final Duration BATCH_WINDOW = Duration.ofMillis(20);

	private final RabbitMeetingEventInbox broker;

	private final JsonMapper json;

	private final Duration publishTimeout;

	private final Sinks.Many<Outcome> outcomes;

	private final ChannelPool channels;

	private final SendOptions sendOptions;

	private final CountDownLatch drained = new CountDownLatch(1);

	private volatile Disposable pipeline;

	RabbitInvitationEvents(RabbitMeetingEventInbox broker, JsonMapper json, NotifierProperties properties) {
		this.broker = broker;
		this.json = json;
		this.publishTimeout = properties.events().publishTimeout();
		this.outcomes = Sinks.many().unicast().onBackpressureBuffer(Queues.<Outcome>get(properties.events().bufferSize()).get());
		this.channels = ChannelPoolFactory.createChannelPool(Mono.just(broker.connection()),
				new ChannelPoolOptions().maxCacheSize(PUBLISHES_IN_FLIGHT));
		this.sendOptions = new SendOptions().channelPool(this.channels);
	}

	@Override
	public void sent(UUID meetingId, String userId, String email, int attempts) {
		offer(new Outcome(InvitationEvent.SENT, Instant.now(), meetingId, userId, email, attempts, null));
	}

	@Override
	public void failed(UUID meetingId, String userId, String email, int attempts, String error) {
		offer(new Outcome(InvitationEvent.FAILED, Instant.now(), meetingId, userId, email, attempts, error));
	}

	private void offer(Outcome outcome) {
		Sinks.EmitResult result;
		// callers come from several threads; the sink wants them one at a time, for the length of an enqueue
		synchronized (this.outcomes) {
			result = this.outcomes.tryEmitNext(outcome);
		}
		if (result.isFailure()) {
			log.warn("{} of meeting {} for {} not announced ({})", outcome.type(), outcome.meetingId(),
					outcome.userId(), result);
		}
	}

	private Mono<Void> publish(List<Outcome> batch) {
		// the event ids are drawn here, off the caller's thread: UUID.randomUUID() may read /dev/urandom
		return Mono.fromCallable(() -> batch.stream().map((outcome) -> toMessage(outcome, UUID.randomUUID())).toList())
			.flatMapMany((messages) -> this.broker.sender()
				.sendWithTypedPublishConfirms(Flux.fromIterable(messages), this.sendOptions))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.publishTimeout)
			.doOnNext((result) -> {
				if (!result.isAck()) {
					Outcome outcome = result.getOutboundMessage().getCorrelationMetadata();
					log.warn("{} of meeting {} for {} was refused by the broker", outcome.type(), outcome.meetingId(),
							outcome.userId());
				}
			})
			.onErrorResume((ex) -> {
				log.warn("{} invitation event(s), the first {} of meeting {}, not all published: {}", batch.size(),
						batch.get(0).type(), batch.get(0).meetingId(), ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private CorrelableOutboundMessage<Outcome> toMessage(Outcome outcome, UUID eventId) {
		InvitationEvent event = outcome.toEvent(eventId);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("UTF-8")
			.deliveryMode(2)
			.messageId(event.eventId().toString())
			.type(event.type())
			.timestamp(Date.from(event.occurredAt()))
			.build();
		return new CorrelableOutboundMessage<>(BrokerNames.EXCHANGE, event.routingKey(), properties,
				this.json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8), outcome);
	}

	@Override
	public void start() {
		this.pipeline = this.outcomes.asFlux()
			// each confirmed publish costs a channel round trip (confirm.select) besides its own: the outcomes that
			// queued up meanwhile share one
			.bufferTimeout(EVENTS_PER_PUBLISH, BATCH_WINDOW, true)
			.flatMap(this::publish, PUBLISHES_IN_FLIGHT)
			.doFinally((signal) -> this.drained.countDown())
			.subscribe();
	}

	/** Publishes what is queued, for at most one publish timeout, then lets the rest go. */
	@Override
	public void stop() {
		synchronized (this.outcomes) {
			this.outcomes.tryEmitComplete();
		}
		try {
			if (!this.drained.await(this.publishTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Invitation events still queued at shutdown are not published");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Disposable running = this.pipeline;
		if (running != null) {
			running.dispose();
		}
		this.channels.close();
	}

	@Override
	public boolean isRunning() {
		Disposable running = this.pipeline;
		return running != null && !running.isDisposed();
	}

	@Override
	public int getPhase() {
		// stops after the consumer that feeds it
		return Integer.MAX_VALUE - 2_000;
	}

	private record Outcome(String type, Instant occurredAt, UUID meetingId, String userId, String email, int attempts,
			String error) {

		InvitationEvent toEvent(UUID eventId) {
			return new InvitationEvent(eventId, this.type, this.occurredAt, this.meetingId, this.userId, this.email,
					this.attempts, this.error);
		}

	}

}
