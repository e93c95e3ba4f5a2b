package dev.seed.meetings.meeting.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * broker. The fast path publishes a booking's event from memory right after its commit. Every row the broker acks is
 * marked, together with the others acked meanwhile, in one statement every {@code meeting.outbox.mark-interval}: also
 * when the ack comes after its publisher stopped waiting (a late confirm is kept, the row is not published again).
 * <p>
 * The relay only takes rows older than {@code meeting.outbox.relay-grace}, so that it normally leaves those to the
 * fast path. A pass leases a batch of rows ({@code claimed_until}, {@code meeting.outbox.claim-lease} ahead) in one
 * short statement with {@code FOR UPDATE SKIP LOCKED}, so that no two passes or instances publish a row at the same
 * time, publishes them all at once, and in another statement marks those acked and frees those the broker refused
 * (nack, unroutable, no channel) for the next pass. A row still unanswered after the confirm timeout keeps its lease:
 * it is published again only when no ack came within the lease. Each pass runs {@code meeting.outbox.relay-concurrency}
 * such batches side by side and claims the next batch as long as the last one was full and all confirmed, so that a
 * backlog drains in one pass. Every statement is a transaction of its own: it commits or rolls back whatever becomes of the pass.
 * <p>
 * A row can still go out twice, e.g. when the broker answers only after the relay grace or the lease. That is
 * accepted: the event id is the message id and consumers drop an event id they have already handled.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final String CLAIM = "UPDATE meeting.outbox SET claimed_until = now() + make_interval(secs => :lease), "
			+ "attempts = attempts + 1 WHERE id IN (SELECT id FROM meeting.outbox WHERE published_at IS NULL "
			+ "AND created_at < now() - make_interval(secs => :grace) AND (claimed_until IS NULL OR claimed_until < now()) "
			+ "ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED) "
			+ "RETURNING id, event_id, routing_key, payload, attempts";

	// rows the broker refused lose their lease at once, so that the next pass tries them again; rows not answered
	// keep it, so that a late ack can still mark them before anyone publishes them again
	private static final String RECORD = "UPDATE meeting.outbox SET claimed_until = NULL, "
			+ "published_at = CASE WHEN id = ANY(:confirmed) THEN coalesce(published_at, now()) ELSE published_at END "
			+ "WHERE id = ANY(:settled)";

	// a leased row's attempt was counted by its claim; the fast path's is counted here
	private static final String MARK = "UPDATE meeting.outbox SET published_at = now(), "
			+ "attempts = CASE WHEN claimed_until IS NULL THEN attempts + 1 ELSE attempts END, claimed_until = NULL "
			+ "WHERE id = ANY(:ids) AND published_at IS NULL";

	private final DatabaseClient db;

	private final EventPublisher publisher;

	private final Duration confirmTimeout;

	private final MeetingProperties.Outbox settings;

	/** Rows whose publish the broker acked (in time or late), for the next mark pass. */
	private final Queue<UUID> confirmedRows = new ConcurrentLinkedQueue<>();

	private final Counter republished;

	private volatile Disposable schedule;

	private volatile Disposable marking;

	// collaborators in, fields out: the shape of any constructor (listed beside StreamController's)
	OutboxRelay(DatabaseClient db, EventPublisher publisher, MeetingProperties properties, MeterRegistry meters) {
		this.db = db;
		this.publisher = publisher;
		this.confirmTimeout = properties.events().confirmTimeout();
		this.settings = properties.outbox();
		this.republished = Counter.builder("meeting.outbox.republished")
			.description("Outbox rows the relay published again: no ack came within the claim lease, or the broker "
					+ "refused the earlier copy")
			.register(meters);
		publisher.whenConfirmed(this.confirmedRows::add);
		if (this.settings.relayGrace().compareTo(this.confirmTimeout) <= 0
				|| this.settings.claimLease().compareTo(this.confirmTimeout) <= 0) {
			throw new IllegalArgumentException("meeting.outbox.relay-grace and meeting.outbox.claim-lease must be "
					+ "longer than meeting.events.confirm-timeout");
		}
		if (this.settings.batchSize() * this.settings.relayConcurrency() > RabbitEventPublisher.BACKLOG) {
			throw new IllegalArgumentException("meeting.outbox.batch-size times meeting.outbox.relay-concurrency must "
					+ "not exceed " + RabbitEventPublisher.BACKLOG + ", the publisher's backlog");
		}
		if (this.settings.markInterval().compareTo(this.settings.relayGrace()) >= 0) {
			throw new IllegalArgumentException("meeting.outbox.mark-interval must be shorter than "
					+ "meeting.outbox.relay-grace");
		}
	}

	/**
	 * The fast path: publishes the event of a booking whose row committed; the broker's ack, however late, queues
	 * the row for the next mark pass. Gives whether it was confirmed within the confirm timeout; a nack, return or
	 * error leaves the row to the relay.
	 */
	public Mono<Boolean> publish(OutboxEntry entry) {
		return this.publisher.publishConfirmed(entry.event()).timeout(this.confirmTimeout, Mono.just(false));
	}

	/**
	 * Marks the rows acked since the last pass in one statement; gives how many. A pass that fails leaves its rows to
	 * the relay, which publishes them again (consumers drop an event id they have already handled).
	 */
	Mono<Integer> markConfirmed() {
		List<UUID> ids = new ArrayList<>();
		for (UUID id = this.confirmedRows.poll(); id != null; id = this.confirmedRows.poll()) {
			ids.add(id);
		}
		if (ids.isEmpty()) {
			return Mono.just(0);
		}
		return this.db.sql(MARK)
			.bind("ids", ids.toArray(UUID[]::new))
			.fetch()
			.rowsUpdated()
			.map(Long::intValue)
			.onErrorResume((ex) -> {
				log.warn("Marking {} confirmed outbox row(s) failed, left to the relay: {}", ids.size(), ex.toString());
				return Mono.just(0);
			});
	}

	/**
	 * One relay pass over the unpublished rows past the grace period, oldest first: {@code relay-concurrency} batches
	 * at a time, each claiming the next while the last was full and all confirmed; gives the number confirmed within the confirm
	 * timeout (later acks are marked by the mark pass).
	 */
	public Mono<Integer> publishPending() {
		return Flux.range(0, this.settings.relayConcurrency())
			.flatMap((worker) -> Mono.defer(this::publishBatch)
				.repeat()
				// the next batch only after a full one the broker confirmed entirely: a refusing broker is not hammered
				.takeUntil((batch) -> batch.claimed() < this.settings.batchSize() || batch.confirmed() < batch.claimed()))
			.reduce(0, (published, batch) -> published + batch.confirmed());
	}

	/** Claims a batch, publishes it and records the broker's answers. */
	private Mono<Batch> publishBatch() {
		return claim().collectList().flatMap((rows) -> rows.isEmpty() ? Mono.just(new Batch(0, 0))
				: Flux.fromIterable(rows).flatMap(this::publishRow).collectList().flatMap((answers) -> record(rows, answers)));
	}

	private Flux<ClaimedRow> claim() {
		return this.db.sql(CLAIM)
			.bind("lease", seconds(this.settings.claimLease()))
			.bind("grace", seconds(this.settings.relayGrace()))
			.bind("limit", this.settings.batchSize())
			.map((row) -> new ClaimedRow(toEvent(row), row.get("attempts", Integer.class)))
			.all();
	}

	private Mono<Answer> publishRow(ClaimedRow row) {
		if (row.attempts() > 1) {
			this.republished.increment();
		}
		UUID outboxId = row.event().outboxId();
		return this.publisher.publishConfirmed(row.event())
			.map((confirmed) -> new Answer(outboxId, confirmed ? Outcome.CONFIRMED : Outcome.REFUSED))
			.timeout(this.confirmTimeout, Mono.just(new Answer(outboxId, Outcome.UNANSWERED)));
	}

	private Mono<Batch> record(List<ClaimedRow> rows, List<Answer> answers) {
		UUID[] confirmed = answers.stream().filter((answer) -> answer.outcome() == Outcome.CONFIRMED)
			.map(Answer::outboxId).toArray(UUID[]::new);
		UUID[] settled = answers.stream().filter((answer) -> answer.outcome() != Outcome.UNANSWERED)
			.map(Answer::outboxId).toArray(UUID[]::new);
		Batch batch = new Batch(rows.size(), confirmed.length);
		if (settled.length == 0) {
			return Mono.just(batch);
		}
		return this.db.sql(RECORD).bind("confirmed", confirmed).bind("settled", settled).then().thenReturn(batch);
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
		this.marking = Flux.interval(this.settings.markInterval(), this.settings.markInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> markConfirmed())
			.subscribe();
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

	// its schedule ends as Retention's does (a disposed Disposable, the field cleared); then the marking, its own
	@Override
	public void stop() {
		Disposable running = this.schedule;
		if (running != null) {
			running.dispose();
			this.schedule = null;
		}
		Disposable marks = this.marking;
		if (marks != null) {
			marks.dispose();
			this.marking = null;
			// the rows confirmed since the last pass, so that the relay of the next start does not publish them again;
			// on the thread that stops the context, never an event loop
			markConfirmed().block(this.confirmTimeout);
		}
	}

	@Override
	public boolean isRunning() {
		return this.marking != null;
	}

	private record ClaimedRow(OutboundEvent event, int attempts) {
	}

	/** What the broker said to a row's publish within the confirm timeout. */
	private enum Outcome {

		CONFIRMED, REFUSED, UNANSWERED

	}

	private record Answer(UUID outboxId, Outcome outcome) {
	}

	/** How many rows a batch claimed and how many of them the broker confirmed in time. */
	private record Batch(int claimed, int confirmed) {
	}

}
