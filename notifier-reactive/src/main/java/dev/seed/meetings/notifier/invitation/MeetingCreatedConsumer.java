package dev.seed.meetings.notifier.invitation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.Deliveries;
import dev.seed.meetings.notifier.delivery.DeliveryStatus;
import dev.seed.meetings.notifier.delivery.SendOutcome;
import dev.seed.meetings.notifier.events.InboundMessage;
import dev.seed.meetings.notifier.events.InvitationEvents;
import dev.seed.meetings.notifier.events.MalformedEventException;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.notifier.events.MeetingCreatedReader;
import dev.seed.meetings.notifier.events.MeetingEventInbox;

/**
 * The use case: for each {@code MeetingCreated}, mail every attendee not mailed yet and acknowledge the event once
 * every attendee is SENT or FAILED in the delivery records. A message that cannot be read is parked; one whose
 * records cannot be written goes back to the broker after a pause, so nothing is lost.
 */
@Component
class MeetingCreatedConsumer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(MeetingCreatedConsumer.class);

	private final MeetingEventInbox inbox;

	private final MeetingCreatedReader reader;

	private final Deliveries deliveries;

	private final InvitationSender sender;

	private final NotifierProperties properties;

	private final InvitationEvents invitationEvents;

	private final MessageTracing tracing;

	private volatile Disposable subscription;

	private volatile boolean stopping;

	private final AtomicInteger inProgress = new AtomicInteger();

	MeetingCreatedConsumer(MeetingEventInbox inbox, MeetingCreatedReader reader, Deliveries deliveries,
			InvitationSender sender, NotifierProperties properties, InvitationEvents invitationEvents,
			MessageTracing tracing) {
		this.inbox = inbox;
		this.tracing = tracing;
		this.invitationEvents = invitationEvents;
		this.reader = reader;
		this.deliveries = deliveries;
		this.sender = sender;
		this.properties = properties;
	}

	@Override
	public void start() {
		// the prefetch already bounds the messages in progress; the same bound here keeps them all moving
		int messagesInProgress = this.properties.maxConcurrentSends();
		this.stopping = false;
		this.subscription = this.inbox.receive()
			.flatMap(this::take, messagesInProgress)
			.subscribe(null, (ex) -> log.error("The MeetingCreated consumer stopped", ex));
	}

	/**
	 * Once stopping, a message is left unacknowledged (the broker hands it out again when the connection closes);
	 * until then, each one is handled and counted while in progress.
	 */
	private Mono<Void> take(InboundMessage message) {
		if (this.stopping) {
			return Mono.empty();
		}
		this.inProgress.incrementAndGet();
		return this.tracing.continueTrace(message, handle(message)).doFinally((signal) -> this.inProgress.decrementAndGet());
	}

	Mono<Void> handle(InboundMessage message) {
		return Mono.fromCallable(() -> this.reader.read(message.body()))
			.flatMap((event) -> invite(event).then(settle(event, message)))
			.onErrorResume(MalformedEventException.class, (ex) -> park(message, ex))
			.onErrorResume((ex) -> requeueLater(message, ex));
	}

	/** Records the attendees, claims those nobody has mailed, and mails them with the send bound. */
	private Mono<Void> invite(MeetingCreated event) {
		Map<String, MeetingCreated.Attendee> byUserId = event.attendees()
			.stream()
			.collect(Collectors.toMap((a) -> a.userId().strip(), Function.identity(), (first, duplicate) -> first));
		int sendsInFlight = this.properties.maxConcurrentSends();
		return this.deliveries.registerPending(event)
			.then(this.sender.calendar(event))
			.flatMapMany((calendar) -> this.deliveries.claimUnsent(event.meetingId(), this.properties.claimTtl())
				.collectList()
				.flatMapMany(Flux::fromIterable)
				// rows of this meeting that this event does not name cannot be rendered; they stay for an event that does
				.filter(byUserId::containsKey)
				.flatMap((userId) -> this.sender.send(event, byUserId.get(userId), calendar), sendsInFlight))
			// outcomes of one wave of sends arrive together: one UPDATE records them all (the last ones as the sends end)
			.bufferTimeout(sendsInFlight, this.properties.recordWindow(), true)
			.concatMap((outcomes) -> this.deliveries.record(event.meetingId(), outcomes)
				.doOnSuccess((recorded) -> outcomes
					.forEach((outcome) -> announce(event, byUserId.get(outcome.userId()), outcome))))
			.then();
	}

	/** Hands the recorded outcome to the stream publisher, which never waits for the broker here. */
	private void announce(MeetingCreated event, MeetingCreated.Attendee attendee, SendOutcome outcome) {
		String email = attendee.email().strip();
		if (outcome.status() == DeliveryStatus.SENT) {
			this.invitationEvents.sent(event.meetingId(), outcome.userId(), email, outcome.attempts());
		}
		else {
			this.invitationEvents.failed(event.meetingId(), outcome.userId(), email, outcome.attempts(),
					outcome.lastError());
		}
	}

	/** Acks when every attendee is settled; if another instance is still mailing some, tries again later. */
	private Mono<Void> settle(MeetingCreated event, InboundMessage message) {
		return this.deliveries.allSettled(event.meetingId())
			.flatMap((settled) -> settled ? message.ack()
					: Mono.delay(this.properties.requeueDelay()).then(message.requeue()));
	}

	private Mono<Void> park(InboundMessage message, MalformedEventException ex) {
		log.warn("Parking message {} in the DLQ: {}", message.messageId(), ex.getMessage());
		return this.inbox.park(message, ex.getMessage());
	}

	private Mono<Void> requeueLater(InboundMessage message, Throwable ex) {
		log.warn("Message {} goes back to the queue in {}: {}", message.messageId(), this.properties.requeueDelay(),
				ex.toString());
		return Mono.delay(this.properties.requeueDelay())
			.then(message.requeue())
			.onErrorResume((requeueFailure) -> {
				// the channel is gone: the broker requeues unacked messages by itself
				log.warn("Requeue of {} failed: {}", message.messageId(), requeueFailure.toString());
				return Mono.empty();
			});
	}

	/** Takes no new message, lets those in progress finish and ack (within the grace), then lets go of the rest. */
	@Override
	public void stop() {
		this.stopping = true;
		long deadline = System.nanoTime() + this.properties.shutdownGrace().toNanos();
		// on the shutdown thread, which may wait
		while (this.inProgress.get() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(50_000_000L);
		}
		if (this.inProgress.get() > 0) {
			log.warn("{} message(s) still in progress after {}: they go back to the queue", this.inProgress.get(),
					this.properties.shutdownGrace());
		}
		Disposable running = this.subscription;
		if (running != null) {
			running.dispose();
		}
		// on the shutdown thread: unacked messages return to the queue; let their unfinished attendees be mailed at
		// once on redelivery
		Long released = this.deliveries.releaseClaims().onErrorReturn(0L).block(Duration.ofSeconds(10));
		if (released != null && released > 0) {
			log.info("Released {} unfinished invitation(s) for redelivery", released);
		}
	}

	@Override
	public boolean isRunning() {
		Disposable running = this.subscription;
		return running != null && !running.isDisposed();
	}

	@Override
	public int getPhase() {
		// stop before the web server and the connection factories, start after them
		return Integer.MAX_VALUE - 1_000;
	}

}
