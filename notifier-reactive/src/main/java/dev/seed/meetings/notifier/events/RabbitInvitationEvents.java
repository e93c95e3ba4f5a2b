package dev.seed.meetings.notifier.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.CorrelableOutboundMessage;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.support.rabbit.ConfirmedPublisher;

/**
 * {@link InvitationEvents} on the inbox's connection and sender. Outcomes wait in a bounded queue (full: the event
 * is dropped and logged) and are published through the shared {@link ConfirmedPublisher} (one confirmed channel for
 * all of them), a few dozen in flight at a time, each event persistent and confirmed by the broker within
 * {@code notifier.events.publish-timeout} ({@code notifier.invitation.events.confirm} times the answers); a nack, a
 * timeout or a broker error is logged, never retried. Nobody has to be listening: an event no queue takes counts as
 * published.
 */
@Component
class RabbitInvitationEvents implements InvitationEvents, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RabbitInvitationEvents.class);

	private static final int PUBLISHES_IN_FLIGHT = 64;

	private final JsonMapper json;

	private final Duration publishTimeout;

	private final Sinks.Many<Outcome> outcomes;

	private final ConfirmedPublisher<UUID> publisher;

	private final CountDownLatch drained = new CountDownLatch(1);

	private volatile Disposable pipeline;

	RabbitInvitationEvents(RabbitMeetingEventInbox broker, JsonMapper json, NotifierProperties properties,
			MeterRegistry meters) {
		this.json = json;
		this.publishTimeout = properties.events().publishTimeout();
		this.outcomes = Sinks.many().unicast().onBackpressureBuffer(Queues.<Outcome>get(properties.events().bufferSize()).get());
		this.publisher = new ConfirmedPublisher<>(broker.sender(), Mono.just(broker.connection()),
				"notifier.invitation.events", meters, properties.events().bufferSize(), (routingKey) -> false);
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

	/** On the pipeline's thread, where the event id may be drawn: UUID.randomUUID() may read /dev/urandom. */
	private Mono<Void> publish(Outcome outcome) {
		return Mono.defer(() -> this.publisher.publish(toMessage(outcome, UUID.randomUUID())))
			.timeout(this.publishTimeout)
			.doOnNext((confirmed) -> {
				if (!confirmed) {
					log.warn("{} of meeting {} for {} was not confirmed by the broker", outcome.type(),
							outcome.meetingId(), outcome.userId());
				}
			})
			.onErrorResume((ex) -> {
				log.warn("{} of meeting {} for {} not published: {}", outcome.type(), outcome.meetingId(),
						outcome.userId(), ex.toString());
				return Mono.empty();
			})
			.then();
	}

	private CorrelableOutboundMessage<UUID> toMessage(Outcome outcome, UUID eventId) {
		InvitationEvent event = outcome.toEvent(eventId);
		// the same properties as meeting-reactive's RabbitEventPublisher: builder calls, each service's own event
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("UTF-8")
			.deliveryMode(2)
			.messageId(event.eventId().toString())
			.type(event.type())
			.timestamp(Date.from(event.occurredAt()))
			.build();
		return new CorrelableOutboundMessage<>(BrokerNames.EXCHANGE, event.routingKey(), properties,
				this.json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8), eventId);
	}

	@Override
	public void start() {
		this.publisher.start();
		this.pipeline = this.outcomes.asFlux()
			.publishOn(Schedulers.boundedElastic(), PUBLISHES_IN_FLIGHT)
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
		this.publisher.stop();
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
