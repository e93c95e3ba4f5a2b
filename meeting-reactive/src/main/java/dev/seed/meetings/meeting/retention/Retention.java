package dev.seed.meetings.meeting.retention;

import java.time.Duration;

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
 * Deletes what a booking leaves behind once nobody needs it: Idempotency-Keys older than
 * {@code meeting.retention.idempotency-keys} (a retry after that books again) and outbox rows published longer ago
 * than {@code meeting.retention.published-events}. Never an unpublished row. Every {@code meeting.retention.interval},
 * in batches, so that no statement holds many rows at once; several instances may run it side by side.
 */
@Component
class Retention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private static final int BATCH = 5000;

	private static final String OLD_KEYS = "DELETE FROM meeting.idempotency_keys WHERE (caller, key) IN (SELECT caller, key "
			+ "FROM meeting.idempotency_keys WHERE created_at < now() - make_interval(secs => :age) LIMIT :limit)";

	private static final String OLD_EVENTS = "DELETE FROM meeting.outbox WHERE id IN (SELECT id FROM meeting.outbox "
			+ "WHERE published_at < now() - make_interval(secs => :age) LIMIT :limit)";

	private final DatabaseClient db;

	private final MeetingProperties.Retention settings;

	private volatile Disposable schedule;

	Retention(DatabaseClient db, MeetingProperties properties) {
		this.db = db;
		this.settings = properties.retention();
	}

	/** One pass: the number of keys and of events deleted. */
	Mono<Removed> purge() {
		return deleteAll(OLD_KEYS, this.settings.idempotencyKeys())
			.zipWith(deleteAll(OLD_EVENTS, this.settings.publishedEvents()), Removed::new);
	}

	private Mono<Long> deleteAll(String sql, Duration age) {
		Mono<Long> batch = this.db.sql(sql)
			.bind("age", age.toSeconds())
			.bind("limit", BATCH)
			.fetch()
			.rowsUpdated();
		return batch.expand((deleted) -> (deleted == BATCH) ? batch : Mono.empty()).reduce(0L, Long::sum);
	}

	@Override
	public void start() {
		this.schedule = Flux.interval(this.settings.interval(), this.settings.interval())
			.onBackpressureDrop()
			.concatMap((tick) -> purge().onErrorResume((ex) -> {
				log.warn("Retention pass failed: {}", ex.toString());
				return Mono.empty();
			}))
			.filter((removed) -> removed.keys() + removed.events() > 0)
			.subscribe((removed) -> log.info("Retention deleted {} idempotency key(s) and {} published event(s)",
					removed.keys(), removed.events()));
	}

	// the same stop as the outbox relay's schedule and the live hub's subscription: one Disposable, nothing else holds
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

	record Removed(long keys, long events) {
	}

}
