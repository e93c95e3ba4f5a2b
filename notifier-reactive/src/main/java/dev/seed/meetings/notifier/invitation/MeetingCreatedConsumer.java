package dev.seed.meetings.notifier.invitation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.Deliveries;
import dev.seed.meetings.notifier.events.InboundMessage;
import dev.seed.meetings.notifier.events.MalformedEventException;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.notifier.events.MeetingCreatedReader;
import dev.seed.meetings.notifier.events.MeetingEventInbox;
import dev.seed.meetings.support.context.RequestContext;

/**
 * The use case: for each {@code MeetingCreated}, keep the event and one delivery row per attendee, mail every
 * attendee nobody has mailed yet (one attempt each), and acknowledge the message once each of them is SENT, FAILED
 * for good or SCHEDULED for another attempt, which {@link DeliveryPoller} makes: the rows are the schedule, and no
 * message waits for an SMTP server to come back. A message that cannot be read is parked at once; one whose
 * processing fails, whatever the exception, goes back to the queue after a pause and is parked with its reason once
 * it has failed {@code notifier.max-message-failures} times.
 */
@Component
class MeetingCreatedConsumer extends BackgroundWork {

	private static final Logger log = LoggerFactory.getLogger(MeetingCreatedConsumer.class);

	/** Failure counts of messages that went through in the end are forgotten after this long. */
	private static final Duration FAILURES_KEPT = Duration.ofDays(1);

	private final MeetingEventInbox inbox;

	private final MeetingCreatedReader reader;

	private final Deliveries deliveries;

	private final InvitationMailing mailing;

	private final NotifierProperties properties;

	private final MessageTracing tracing;

	// as in MeetingChangesConsumer and DeliveryPoller: the lifecycle is BackgroundWork's, these are collaborators
	MeetingCreatedConsumer(MeetingEventInbox inbox, MeetingCreatedReader reader, Deliveries deliveries,
			InvitationMailing mailing, NotifierProperties properties, MessageTracing tracing) {
		// stops before the web server and the connection factories, starts after them
		super(properties.shutdownGrace(), Integer.MAX_VALUE - 1_000);
		this.inbox = inbox;
		this.tracing = tracing;
		this.reader = reader;
		this.deliveries = deliveries;
		this.mailing = mailing;
		this.properties = properties;
	}

	@Override
	Disposable run() {
		// the prefetch already bounds the messages in progress; the same bound here keeps them all moving
		int messagesInProgress = this.properties.maxConcurrentSends();
		return this.inbox.receive()
			.flatMap(this::take, messagesInProgress)
			.subscribe(null, (ex) -> log.error("The MeetingCreated consumer stopped", ex));
	}

	/**
	 * Once stopping, a message is left unacknowledged (the broker hands it out again when the connection closes);
	 * until then, each one is handled and counted while in progress.
	 */
	private Mono<Void> take(InboundMessage message) {
		return counted(this.tracing.continueTrace(message, handle(message)));
	}

	Mono<Void> handle(InboundMessage message) {
		return Mono.fromCallable(() -> this.reader.read(message.body()))
			.flatMap((event) -> invite(event, message.body()).then(ack(message)))
			.onErrorResume(MalformedEventException.class, (ex) -> park(message, ex.getMessage()))
			.onErrorResume((ex) -> failed(message, ex));
	}

	/** Keeps the event and its rows, claims the attendees nobody has mailed, and tries each of them once. */
	private Mono<Void> invite(MeetingCreated event, byte[] body) {
		List<String> userIds = event.attendees().stream().map((a) -> a.userId().strip()).distinct().toList();
		return this.deliveries.registerPending(event, body)
			.thenMany(this.deliveries.claimUnsent(event.meetingId(), userIds, this.properties.claimTtl()))
			.collectList()
			.flatMap((claimed) -> this.mailing.mail(event, claimed));
	}

	private Mono<Void> ack(InboundMessage message) {
		// the channel is gone: the broker hands the message out again, and its settled rows mail nobody twice
		return message.ack()
			.onErrorResume((ex) -> RequestContext.log(
					() -> log.warn("Ack of {} failed: {}", message.messageId(), ex.toString())));
	}

	private Mono<Void> park(InboundMessage message, String reason) {
		return RequestContext.log(() -> log.warn("Parking message {} in the DLQ: {}", message.messageId(), reason))
			.then(this.inbox.park(message, reason));
	}

	/**
	 * Counts the failure against the message; at the bound the message is parked with its reason, below it goes
	 * back to the queue after {@code requeue-delay}. When even the count cannot be written (the database is away),
	 * the message goes back uncounted: an outage parks nothing.
	 */
	private Mono<Void> failed(InboundMessage message, Throwable ex) {
		String key = key(message);
		String reason = describe(ex);
		int bound = this.properties.maxMessageFailures();
		return this.deliveries.countFailure(key, reason)
			.flatMap((failures) -> (failures >= bound) ? parkFailed(message, key, failures, reason)
					: requeueLater(message, "failure " + failures + " of " + bound + ": " + reason))
			.onErrorResume((countFailure) -> requeueLater(message,
					reason + " (the failure could not be counted: " + describe(countFailure) + ")"));
	}

	private Mono<Void> parkFailed(InboundMessage message, String key, int failures, String reason) {
		return park(message, "processing failed " + failures + " times, last: " + reason)
			.then(this.deliveries.forgetFailures(key, FAILURES_KEPT)
				.onErrorResume((ex) -> Mono.just(0L))
				.then());
	}

	private Mono<Void> requeueLater(InboundMessage message, String why) {
		return RequestContext.log(() -> log.warn("Message {} goes back to the queue in {}: {}", message.messageId(),
				this.properties.requeueDelay(), why))
			.then(Mono.delay(this.properties.requeueDelay()))
			.then(message.requeue())
			// the channel is gone: the broker requeues unacked messages by itself
			.onErrorResume((requeueFailure) -> RequestContext.log(
					() -> log.warn("Requeue of {} failed: {}", message.messageId(), requeueFailure.toString())));
	}

	/** The message id (the event id, as meeting-reactive publishes), or a digest of the body when there is none. */
	static String key(InboundMessage message) {
		String id = message.messageId();
		if (id != null && !id.isBlank()) {
			return Text.oneLine(id);
		}
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message.body()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One line, no control characters (a NUL cannot be stored), the most specific cause's words. */
	static String describe(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String words = (cause != ex) ? ex.getClass().getSimpleName() + ": " + cause : ex.toString();
		String line = Text.oneLine(words);
		return (line.length() > 500) ? line.substring(0, 500) : line;
	}

	/** Those still in progress after the grace go back to the queue; what this instance claimed is due at once. */
	@Override
	void stopped(int unfinished) {
		if (unfinished > 0) {
			log.warn("{} message(s) still in progress after {}: they go back to the queue", unfinished,
					this.properties.shutdownGrace());
		}
		// on the shutdown thread: what this instance claimed and did not finish is due at once for any poller
		Long released = this.deliveries.releaseClaims().onErrorReturn(0L).block(Duration.ofSeconds(10));
		if (released != null && released > 0) {
			log.info("Released {} unfinished invitation(s) to be mailed by the next poll", released);
		}
	}

}
