package dev.seed.meetings.notifier.invitation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.ChangeDeliveries;
import dev.seed.meetings.notifier.delivery.ChangeDeliveries.Target;
import dev.seed.meetings.notifier.delivery.RecordedDelivery;
import dev.seed.meetings.notifier.delivery.SendOutcome;
import dev.seed.meetings.notifier.events.InboundMessage;
import dev.seed.meetings.notifier.events.InvitationEvents;
import dev.seed.meetings.notifier.events.MalformedEventException;
import dev.seed.meetings.notifier.events.MeetingChangeInbox;
import dev.seed.meetings.notifier.events.MeetingChanged;
import dev.seed.meetings.notifier.events.MeetingChangedReader;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.support.context.RequestContext;

/**
 * The use case for {@code MeetingUpdated} and {@code MeetingCancelled}: mail each attendee the meeting's new state as
 * iTIP says (the same UID, {@code SEQUENCE} = the meeting's version): {@code REQUEST} to those who are in it (an
 * ordinary invitation to those just added), {@code CANCEL} to those removed, or to everyone when it is cancelled.
 * <p>
 * Order: the messages of this queue are handled one at a time; per attendee, the newest sequence taken is recorded
 * and an event with an older or the same one mails them nothing, so a late or repeated event never mails an older
 * state after a newer one. The invitation of the meeting (sequence 0) not mailed yet is superseded by the newer
 * state; while it is being mailed, the change waits for it (back to the queue, after a pause).
 * <p>
 * A transient SMTP failure ({@code send} makes one attempt) leaves the attendee's row PENDING and the message goes
 * back to the queue after {@code notifier.requeue-delay}: each delivery tries those still pending once more, until
 * the row is sent, fails for good, is superseded by a newer change, or is {@code notifier.retry.give-up-after} old.
 */
@Component
class MeetingChangesConsumer extends BackgroundWork {

	private static final Logger log = LoggerFactory.getLogger(MeetingChangesConsumer.class);

	private final MeetingChangeInbox inbox;

	private final MeetingChangedReader reader;

	private final ChangeDeliveries deliveries;

	private final InvitationSender sender;

	private final NotifierProperties properties;

	private final InvitationEvents invitationEvents;

	private final MessageTracing tracing;

	// as in MeetingCreatedConsumer and DeliveryPoller: the lifecycle is BackgroundWork's, these are collaborators
	MeetingChangesConsumer(MeetingChangeInbox inbox, MeetingChangedReader reader, ChangeDeliveries deliveries,
			InvitationSender sender, NotifierProperties properties, InvitationEvents invitationEvents,
			MessageTracing tracing) {
		// stops before the web server and the connection factories, starts after them
		super(properties.shutdownGrace(), Integer.MAX_VALUE - 1_000);
		this.inbox = inbox;
		this.reader = reader;
		this.deliveries = deliveries;
		this.sender = sender;
		this.properties = properties;
		this.invitationEvents = invitationEvents;
		this.tracing = tracing;
	}

	@Override
	Disposable run() {
		// one message at a time: two changes of a meeting are never mailed side by side
		return this.inbox.receive()
			.concatMap(this::take)
			.subscribe(null, (ex) -> log.error("The meeting change consumer stopped", ex));
	}

	private Mono<Void> take(InboundMessage message) {
		return counted(this.tracing.continueTrace(message, handle(message)));
	}

	Mono<Void> handle(InboundMessage message) {
		return Mono.fromCallable(() -> this.reader.read(message.body()))
			.flatMap((event) -> this.deliveries.invitationInFlight(event.meetingId())
				.flatMap((inFlight) -> inFlight ? later(message)
						: notifyAttendees(event).then(settle(event, message))))
			.onErrorResume(MalformedEventException.class, (ex) -> park(message, ex))
			.onErrorResume((ex) -> RequestContext.log(() -> log.warn("Message {} goes back to the queue in {}: {}",
					message.messageId(), this.properties.requeueDelay(), ex.toString()))
				.then(later(message)));
	}

	/** Supersedes the invitation not mailed yet, takes this sequence for whom it is newest, and mails them. */
	private Mono<Void> notifyAttendees(MeetingChanged event) {
		Map<String, MeetingCreated.Attendee> byUserId = new LinkedHashMap<>();
		Stream.of(event.attendees(), orEmpty(event.removed()))
			.flatMap(List::stream)
			.forEach((attendee) -> byUserId.putIfAbsent(attendee.userId().strip(), attendee));
		List<Target> targets = targets(event);
		int sendsInFlight = this.properties.maxConcurrentSends();
		return this.deliveries.supersedeInvitations(event.meetingId(), event.eventId(), targets)
			.then(this.deliveries.register(event.meetingId(), event.eventId(), event.sequence(), targets))
			.thenMany(this.deliveries.claimUnsent(event.meetingId(), event.sequence(), this.properties.claimTtl()))
			.filter((target) -> byUserId.containsKey(target.userId()))
			.flatMap((target) -> send(event, byUserId.get(target.userId()), Notice.valueOf(target.notice())),
					sendsInFlight)
			.bufferTimeout(sendsInFlight, this.properties.recordWindow(), true)
			.concatMap((outcomes) -> this.deliveries
				.record(event.meetingId(), event.sequence(), outcomes, this.properties.retry().giveUpAfter())
				.doOnNext((recorded) -> Announcements.announce(this.invitationEvents, event.meetingId(),
					byUserId.get(recorded.userId()), recorded)))
			.then();
	}

	/** Who is told what: everyone of a cancelled meeting; else those in it, those added and those removed. */
	private static List<Target> targets(MeetingChanged event) {
		List<Target> targets = new ArrayList<>();
		if (event.cancelled()) {
			event.attendees().forEach((a) -> targets.add(target(a, Notice.CANCELLATION)));
			return targets;
		}
		Set<String> added = orEmpty(event.added()).stream()
			.map((a) -> a.userId().strip())
			.collect(Collectors.toSet());
		Notice change = event.moved() ? Notice.MOVE : Notice.UPDATE;
		event.attendees()
			.forEach((a) -> targets.add(target(a, added.contains(a.userId().strip()) ? Notice.INVITATION : change)));
		orEmpty(event.removed()).forEach((a) -> targets.add(target(a, Notice.REMOVAL)));
		return targets;
	}

	/**
	 * One attendee's mail: the meeting's calendar at this sequence, listing everyone in it (a REQUEST), everyone
	 * (the cancellation) or only the attendee (a removal).
	 */
	private Mono<SendOutcome> send(MeetingChanged event, MeetingCreated.Attendee attendee, Notice notice) {
		MeetingCreated meeting = event.asMeeting(notice == Notice.REMOVAL ? List.of(attendee) : event.attendees());
		return this.sender.calendar(meeting, event.sequence(), notice)
			.flatMap((calendar) -> this.sender.send(meeting, attendee, calendar, notice));
	}

	private Mono<Void> settle(MeetingChanged event, InboundMessage message) {
		return this.deliveries.allSettled(event.meetingId(), event.sequence())
			.flatMap((settled) -> settled ? message.ack() : later(message));
	}

	private Mono<Void> later(InboundMessage message) {
		return Mono.delay(this.properties.requeueDelay())
			.then(message.requeue())
			// the channel is gone: the broker requeues unacked messages by itself
			.onErrorResume((ex) -> RequestContext.log(
					() -> log.warn("Requeue of {} failed: {}", message.messageId(), ex.toString())));
	}

	private Mono<Void> park(InboundMessage message, MalformedEventException ex) {
		return RequestContext.log(() -> log.warn("Parking message {} in the DLQ: {}", message.messageId(), ex.getMessage()))
			.then(this.inbox.park(message, ex.getMessage()));
	}

	private static Target target(MeetingCreated.Attendee attendee, Notice notice) {
		return new Target(attendee.userId().strip(), attendee.email().strip(), notice.name());
	}

	private static <T> List<T> orEmpty(List<T> list) {
		return (list != null) ? list : List.of();
	}

	/** What this instance claimed and did not finish goes back for the message's redelivery. */
	@Override
	void stopped(int unfinished) {
		// on the shutdown thread, as MeetingCreatedConsumer does, never an event loop
		Long released = this.deliveries.releaseClaims().onErrorReturn(0L).block(Duration.ofSeconds(10));
		if (released != null && released > 0) {
			log.info("Released {} unfinished change mail(s) for redelivery", released);
		}
	}

}
