package dev.seed.meetings.notifier.invitation;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.Deliveries;
import dev.seed.meetings.notifier.delivery.RecordedDelivery;
import dev.seed.meetings.notifier.delivery.RetrySchedule;
import dev.seed.meetings.notifier.delivery.SendOutcome;
import dev.seed.meetings.notifier.events.InvitationEvents;
import dev.seed.meetings.notifier.events.MeetingCreated;

/**
 * Mails attendees this instance has claimed (their rows say SENDING) one attempt each, records every outcome
 * (SENT, SCHEDULED for another attempt, or FAILED) and announces the settled ones. Shared by the consumer (the
 * first attempt, as the event arrives) and the poller (every later one).
 */
@Component
class InvitationMailing {

	private final Deliveries deliveries;

	private final InvitationSender sender;

	private final InvitationEvents invitationEvents;

	private final NotifierProperties properties;

	private final RetrySchedule schedule;

	private final Set<Deliveries.Claim> inProgress = ConcurrentHashMap.newKeySet();

	InvitationMailing(Deliveries deliveries, InvitationSender sender, InvitationEvents invitationEvents,
			NotifierProperties properties) {
		this.deliveries = deliveries;
		this.sender = sender;
		this.invitationEvents = invitationEvents;
		this.properties = properties;
		NotifierProperties.Retry retry = properties.retry();
		this.schedule = new RetrySchedule(retry.firstBackoff(), retry.maxBackoff(), retry.giveUpAfter());
	}

	/** The claims being mailed right now, which the heartbeat renews. */
	Set<Deliveries.Claim> inProgress() {
		return this.inProgress;
	}

	Mono<Void> mail(MeetingCreated event, Collection<String> claimedUserIds) {
		if (claimedUserIds.isEmpty()) {
			return Mono.empty();
		}
		List<Deliveries.Claim> claims = claimedUserIds.stream()
			.map((userId) -> new Deliveries.Claim(event.meetingId(), userId))
			.toList();
		return Mono.defer(() -> {
			this.inProgress.addAll(claims);
			return send(event, claimedUserIds);
		}).doFinally((signal) -> claims.forEach(this.inProgress::remove));
	}

	private Mono<Void> send(MeetingCreated event, Collection<String> claimedUserIds) {
		Map<String, MeetingCreated.Attendee> byUserId = event.attendees()
			.stream()
			.collect(Collectors.toMap((a) -> a.userId().strip(), Function.identity(), (first, duplicate) -> first));
		int sendsInFlight = this.properties.maxConcurrentSends();
		return this.sender.calendar(event)
			.flatMapMany((calendar) -> Flux.fromIterable(claimedUserIds)
				.flatMap((userId) -> byUserId.containsKey(userId)
						? this.sender.send(event, byUserId.get(userId), calendar)
						: Mono.just(SendOutcome.failed(userId, "not an attendee of event " + event.eventId())),
						sendsInFlight))
			// outcomes of one wave of sends arrive together: one UPDATE records them all (the last ones as the sends
			// end); a crash before it leaves them SENDING, which a takeover mails again
			.bufferTimeout(sendsInFlight, this.properties.recordWindow(), true)
			.concatMap((outcomes) -> this.deliveries.record(event.meetingId(), outcomes, this.schedule)
				.doOnNext((recorded) -> Announcements.announce(this.invitationEvents, event.meetingId(),
					byUserId.get(recorded.userId()), recorded)))
			.then();
	}

	/** Records the claimed attendees FAILED for good, without an attempt. */
	Mono<Void> fail(UUID meetingId, Collection<String> claimedUserIds, String error) {
		List<SendOutcome> outcomes = claimedUserIds.stream().map((userId) -> SendOutcome.failed(userId, error)).toList();
		return this.deliveries.record(meetingId, outcomes, this.schedule).then();
	}

}
