package dev.seed.meetings.meeting.events;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * Moves outbox rows to the broker, and never holds a database transaction or connection while it waits for the
 * broker. The fast path publishes a booking's event from memory right after its commit and marks the row on the
 * ack. The relay only takes rows older than {@code meeting.outbox.relay-grace}, so that it normally leaves those to
 * the fast path; it leases them ({@code claimed_until}) in one short statement with {@code FOR UPDATE SKIP LOCKED},
 * so that no two instances publish a row at the same time, then publishes, then marks them in another.
 * <p>
 * A row can still go out twice, e.g. when a confirm arrives just after the fast path gave up and the relay later
 * publishes it again, or when a lease runs out during a very slow publish. That is accepted: the event id is the
 * message id and consumers drop an event id they have already handled.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final String CLAIM = "UPDATE meeting.outbox SET claimed_until = now() + make_interval(secs => :lease), "
			+ "attempts = attempts + 1 WHERE id IN (SELECT id FROM meeting.outbox WHERE published_at IS NULL "
			+ "AND created_at < now() - make_interval(secs => :grace) AND (claimed_until IS NULL OR claimed_until < now()) "
			+ "ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING id, event_id, routing_key, payload";

	// rows not confirmed lose their lease at once, so that the next pass tries them again
	private static final String RECORD = "UPDATE meeting.outbox SET claimed_until = NULL, "
			+ "published_at = CASE WHEN id = ANY(:confirmed) THEN now() ELSE NULL END "
			+ "WHERE id = ANY(:claimed) AND published_at IS NULL";

	private static final String MARK = "UPDATE meeting.outbox SET published_at = now(), attempts = attempts + 1 "
			+ "WHERE id = :id AND published_at IS NULL";

	private final DatabaseClient db;

	private final EventPublisher publisher;

	private final Duration confirmTimeout;

	private final MeetingProperties.Outbox settings;

	private volatile Disposable schedule;

	OutboxRelay(DatabaseClient db, EventPublisher publisher, MeetingProperties properties) {
		this.db = db;
		this.publisher = publisher;
		this.confirmTimeout = properties.events().confirmTimeout();
		this.settings = properties.outbox();
		if (this.settings.relayGrace().compareTo(this.confirmTimeout) <= 0
				|| this.settings.claimLease().compareTo(this.confirmTimeout) <= 0) {
			throw new IllegalArgumentException("meeting.outbox.relay-grace and meeting.outbox.claim-lease must be "
					+ "longer than meeting.events.confirm-timeout");
		}
	}

	/**
	 * The fast path: publishes the event of a booking whose transaction committed and marks its row on the broker's
	 * ack. Gives whether it was confirmed; a timeout, nack, return or error leaves the row to the relay.
	 */
	public Mono<Boolean> publish(OutboxEntry entry) {
		return confirmed(entry.event()).flatMap((confirmed) -> confirmed
				? this.db.sql(MARK).bind("id", entry.outboxId()).then().thenReturn(true) : Mono.just(false));
	}

	/** One relay pass over the oldest unpublished rows past the grace period; gives the number published. */
	public Mono<Integer> publishPending() {
		return claim().collectList()
			.filter((events) -> !events.isEmpty())
			.flatMap((events) -> confirmed(events).flatMap((ids) -> record(events, ids)))
			.defaultIfEmpty(0);
	}

	private Flux<OutboundEvent> claim() {
		return this.db.sql(CLAIM)
			.bind("lease", seconds(this.settings.claimLease()))
			.bind("grace", seconds(this.settings.relayGrace()))
			.bind("limit", this.settings.batchSize())
			.map(OutboxRelay::toEvent)
			.all();
	}

	private Mono<List<UUID>> confirmed(List<OutboundEvent> events) {
		return Flux.fromIterable(events)
			.flatMap((event) -> confirmed(event).filter(Boolean::booleanValue).map((confirmed) -> event.outboxId()))
			.collectList();
	}

	private Mono<Boolean> confirmed(OutboundEvent event) {
		return this.publisher.publishConfirmed(event).timeout(this.confirmTimeout, Mono.just(false));
	}

	private Mono<Integer> record(List<OutboundEvent> events, List<UUID> confirmedIds) {
		return this.db.sql(RECORD)
			.bind("confirmed", confirmedIds.toArray(UUID[]::new))
			.bind("claimed", events.stream().map(OutboundEvent::outboxId).toArray(UUID[]::new))
			.then()
			.thenReturn(confirmedIds.size());
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	private static OutboundEvent toEvent(Readable row) {
		String routingKey = row.get("routing_key", String.class);
		return new OutboundEvent(row.get("id", UUID.class), row.get("event_id", UUID.class),
				OutboundEvent.typeOf(routingKey), routingKey, row.get("payload", String.class));
	}

	@Override
	public void start() {
		if (!this.settings.relayEnabled()) {
			return;
		}
		this.schedule = Flux.interval(this.settings.relayInterval(), this.settings.relayInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> publishPending().onErrorResume((ex) -> {
				log.warn("Outbox relay pass failed: {}", ex.toString());
				return Mono.just(0);
			}))
			.filter((published) -> published > 0)
			.subscribe((published) -> log.info("Outbox relay published {} event(s)", published));
	}

	@Override
	public void stop() {
		Disposable running = this.schedule;
		if (running != null) {
			running.dispose();
			this.schedule = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.schedule != null;
	}

}
