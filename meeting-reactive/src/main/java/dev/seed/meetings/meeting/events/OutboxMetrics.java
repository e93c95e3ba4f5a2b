package dev.seed.meetings.meeting.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Outbox lag as gauges: {@code meeting.outbox.unpublished} (rows) and {@code meeting.outbox.oldest.age} (seconds),
 * refreshed by a query every relay interval so that scraping never touches the database.
 */
@Component
class OutboxMetrics implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

	private final DatabaseClient db;

	private final Duration interval;

	private final AtomicLong unpublished = new AtomicLong();

	private final AtomicLong oldestAgeSeconds = new AtomicLong();

	private volatile Disposable refresh;

	OutboxMetrics(DatabaseClient db, MeterRegistry registry, MeetingProperties properties) {
		this.db = db;
		this.interval = properties.outbox().relayInterval();
		Gauge.builder("meeting.outbox.unpublished", this.unpublished, AtomicLong::get)
			.description("Outbox rows not yet confirmed by the broker")
			.register(registry);
		Gauge.builder("meeting.outbox.oldest.age", this.oldestAgeSeconds, AtomicLong::get)
			.description("Age of the oldest unpublished outbox row")
			.baseUnit("seconds")
			.register(registry);
	}

	Mono<Void> refreshNow() {
		return this.db
			.sql("SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint AS age "
					+ "FROM meeting.outbox WHERE published_at IS NULL")
			.map((row) -> {
				this.unpublished.set(row.get("n", Long.class));
				this.oldestAgeSeconds.set(row.get("age", Long.class));
				return true;
			})
			.one()
			.then();
	}

	@Override
	public void start() {
		this.refresh = Flux.interval(Duration.ZERO, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> refreshNow().onErrorResume((ex) -> {
				log.debug("Outbox lag not refreshed: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public void stop() {
		if (this.refresh != null) {
			this.refresh.dispose();
			this.refresh = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.refresh != null;
	}

}
