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
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * Moves outbox rows to the broker. Both paths claim rows with {@code FOR UPDATE SKIP LOCKED}, so that the fast path
 * of a booking, the periodic relay and other instances never publish the same row at the same time.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final String COLUMNS = "SELECT id, event_id, routing_key, payload FROM meeting.outbox ";

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final EventPublisher publisher;

	private final Duration confirmTimeout;

	private final MeetingProperties.Outbox settings;

	private volatile Disposable schedule;

	OutboxRelay(DatabaseClient db, ReactiveTransactionManager transactionManager, EventPublisher publisher,
			MeetingProperties properties) {
		this.db = db;
		this.tx = TransactionalOperator.create(transactionManager);
		this.publisher = publisher;
		this.confirmTimeout = properties.events().confirmTimeout();
		this.settings = properties.outbox();
	}

	/** The fast path: publishes one row right after its transaction committed; gives the number published (0 or 1). */
	public Mono<Integer> publish(UUID outboxId) {
		return claimAndPublish(this.db
			.sql(COLUMNS + "WHERE id = :id AND published_at IS NULL FOR UPDATE SKIP LOCKED")
			.bind("id", outboxId));
	}

	/** One relay pass over the oldest unpublished rows; gives the number published. */
	public Mono<Integer> publishPending() {
		return claimAndPublish(this.db
			.sql(COLUMNS + "WHERE published_at IS NULL ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED")
			.bind("limit", this.settings.batchSize()));
	}

	private Mono<Integer> claimAndPublish(DatabaseClient.GenericExecuteSpec claim) {
		Mono<Integer> work = claim.map(OutboxRelay::toEvent)
			.all()
			.collectList()
			.filter((events) -> !events.isEmpty())
			.flatMap((events) -> confirmed(events).flatMap((ids) -> record(events, ids)))
			.defaultIfEmpty(0);
		return this.tx.transactional(work);
	}

	private Mono<List<UUID>> confirmed(List<OutboundEvent> events) {
		// rows not confirmed in time stay unpublished (the transaction still records the attempt) for the next pass
		return this.publisher.publishConfirmed(events)
			.take(this.confirmTimeout)
			.onErrorResume((ex) -> {
				log.warn("Publishing {} outbox event(s) failed: {}", events.size(), ex.toString());
				return Flux.empty();
			})
			.collectList();
	}

	private Mono<Integer> record(List<OutboundEvent> events, List<UUID> confirmedIds) {
		UUID[] all = events.stream().map(OutboundEvent::outboxId).toArray(UUID[]::new);
		return this.db
			.sql("UPDATE meeting.outbox SET attempts = attempts + 1, "
					+ "published_at = CASE WHEN id = ANY(:confirmed) THEN now() ELSE NULL END WHERE id = ANY(:all)")
			.bind("confirmed", confirmedIds.toArray(UUID[]::new))
			.bind("all", all)
			.then()
			.thenReturn(confirmedIds.size());
	}

	private static OutboundEvent toEvent(Readable row) {
		return new OutboundEvent(row.get("id", UUID.class), row.get("event_id", UUID.class), MeetingCreated.TYPE,
				row.get("routing_key", String.class), row.get("payload", String.class));
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
