package dev.seed.meetings.notifier.invitation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.config.NotifierProperties;
import dev.seed.meetings.notifier.delivery.Deliveries;
import dev.seed.meetings.notifier.delivery.DueDelivery;
import dev.seed.meetings.notifier.events.MalformedEventException;
import dev.seed.meetings.notifier.events.MeetingCreated;
import dev.seed.meetings.notifier.events.MeetingCreatedReader;

/**
 * Every later attempt of an invitation, from the delivery rows: each {@code retry.poll-interval} it claims the rows
 * that are due (SCHEDULED after a transient failure, or SENDING under a claim its owner stopped renewing) and mails
 * them from the event kept beside them. Row locks (SKIP LOCKED) let several instances poll without sharing a row.
 * Beside it, a heartbeat renews the claims this instance is mailing every {@code claim-renew-every}, so only the
 * claims of a dead instance (or of a pipeline that failed) lapse, after {@code claim-ttl}.
 */
@Component
class DeliveryPoller extends BackgroundWork {

	private static final Logger log = LoggerFactory.getLogger(DeliveryPoller.class);

	private final Deliveries deliveries;

	private final MeetingCreatedReader reader;

	private final InvitationMailing mailing;

	private final NotifierProperties properties;

	// as in the two consumers: the lifecycle is BackgroundWork's, these are collaborators
	DeliveryPoller(Deliveries deliveries, MeetingCreatedReader reader, InvitationMailing mailing,
			NotifierProperties properties) {
		// stops just before the consumer, which then releases what this instance still claims
		super(properties.shutdownGrace(), Integer.MAX_VALUE - 999);
		this.deliveries = deliveries;
		this.reader = reader;
		this.mailing = mailing;
		this.properties = properties;
	}

	@Override
	Disposable run() {
		Duration ttl = this.properties.claimTtl();
		Disposable polls = Flux.interval(this.properties.retry().pollInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> drain(), 0)
			.subscribe();
		Disposable heartbeat = Flux.interval(this.properties.claimRenewEvery())
			.onBackpressureDrop()
			.concatMap((tick) -> this.deliveries.renewClaims(List.copyOf(this.mailing.inProgress()), ttl)
				.onErrorResume((ex) -> {
					log.warn("Renewing this instance's claims failed (they lapse after {}): {}", ttl, ex.toString());
					return Mono.empty();
				}), 0)
			.subscribe();
		return Disposables.composite(polls, heartbeat);
	}

	/** Polls until a poll finds less than a full batch. */
	Mono<Integer> drain() {
		int batch = this.properties.retry().pollBatch();
		// stopping: no poll, and no further one
		return counted(pollOnce()).defaultIfEmpty(0)
			.onErrorResume((ex) -> {
				log.warn("Polling for due invitations failed: {}", ex.toString());
				return Mono.just(0);
			})
			.flatMap((claimed) -> (claimed >= batch) ? drain().map((more) -> claimed + more) : Mono.just(claimed));
	}

	private Mono<Integer> pollOnce() {
		return this.deliveries.claimDue(this.properties.retry().pollBatch(), this.properties.claimTtl())
			.collectList()
			.flatMap((due) -> {
				if (due.isEmpty()) {
					return Mono.just(0);
				}
				long takenOver = due.stream().filter(DueDelivery::takenOver).count();
				if (takenOver > 0) {
					log.warn("Taking over {} invitation(s) whose claim lapsed; any of them whose SMTP answer was "
							+ "lost in a crash is mailed a second time", takenOver);
				}
				Map<String, List<DueDelivery>> byEvent = new LinkedHashMap<>();
				due.forEach((row) -> byEvent.computeIfAbsent(row.eventId(), (id) -> new ArrayList<>())
					.add(row));
				return Flux.fromIterable(byEvent.values())
					.flatMap(this::mail, this.properties.maxConcurrentSends())
					.then(Mono.just(due.size()));
			});
	}

	/** The rows of one event: rendered from the event kept with them, or FAILED when it was not kept. */
	private Mono<Void> mail(List<DueDelivery> rows) {
		DueDelivery first = rows.get(0);
		List<String> userIds = rows.stream().map(DueDelivery::userId).toList();
		MeetingCreated event;
		try {
			event = (first.eventBody() != null) ? this.reader.read(first.eventBody()) : null;
		}
		catch (MalformedEventException ex) {
			event = null;
		}
		if (event == null) {
			String error = "event " + first.eventId() + " is not kept: it cannot be mailed again";
			log.warn("Invitations of meeting {}: {}", first.meetingId(), error);
			return this.mailing.fail(first.meetingId(), userIds, error);
		}
		return this.mailing.mail(event, userIds).onErrorResume((ex) -> {
			// the claims stay: they lapse, and the next poll (here or elsewhere) takes the rows again
			log.warn("Mailing due invitations of meeting {} failed: {}", first.meetingId(), ex.toString());
			return Mono.empty();
		});
	}

}
