package dev.seed.meetings.meeting.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;

import dev.seed.meetings.meeting.attendee.AttendeeProfile;
import dev.seed.meetings.meeting.attendee.AttendeeResolver;
import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.support.context.RequestContext;
import dev.seed.meetings.meeting.ids.TimeOrderedIds;
import dev.seed.meetings.meeting.transaction.Transactions;
import dev.seed.meetings.meeting.events.MeetingCreated;
import dev.seed.meetings.meeting.events.Outbox;
import dev.seed.meetings.meeting.events.OutboxEntry;
import dev.seed.meetings.meeting.events.OutboxRelay;

/**
 * The booking use case: validate, resolve the attendees, save (meeting and event in one statement), cache, publish.
 * {@code meeting.booked} counts the meetings created (committed; a replayed Idempotency-Key books nothing). Not "created": Prometheus reserves that suffix.
 * {@code meeting.booking.stage} times each stage (tag {@code stage}: resolve, save, cache, publish), so that a slow
 * booking shows where it waited.
 */
@Service
public class MeetingBooking {

	private static final Logger log = LoggerFactory.getLogger(MeetingBooking.class);

	private final MeetingRequestValidator validator;

	private final AttendeeResolver attendees;

	private final MeetingStore store;

	private final Outbox outbox;

	private final MeetingCache cache;

	private final OutboxRelay relay;

	private final Transactions tx;

	private final Clock clock;

	private final Duration bookingTimeout;

	private final IdempotencyKeys idempotencyKeys;

	private final Counter created;

	private final Timer resolveStage;

	private final Timer saveStage;

	private final Timer cacheStage;

	private final Timer publishStage;

	// the same shape as MeetingChanges' and Invitations' constructors: each use case takes its own collaborators
	MeetingBooking(MeetingRequestValidator validator, AttendeeResolver attendees, MeetingStore store, Outbox outbox,
			MeetingCache cache, OutboxRelay relay, ReactiveTransactionManager transactionManager, Clock clock,
			MeetingProperties properties, IdempotencyKeys idempotencyKeys, MeterRegistry meters) {
		this.idempotencyKeys = idempotencyKeys;
		this.created = Counter.builder("meeting.booked").register(meters);
		this.resolveStage = stageTimer("resolve", meters);
		this.saveStage = stageTimer("save", meters);
		this.cacheStage = stageTimer("cache", meters);
		this.publishStage = stageTimer("publish", meters);
		this.validator = validator;
		this.attendees = attendees;
		this.store = store;
		this.outbox = outbox;
		this.cache = cache;
		this.relay = relay;
		this.tx = Transactions.create(transactionManager);
		this.clock = clock;
		this.bookingTimeout = properties.booking().timeout();
	}

	/** Books the meeting and gives it back once it is durable, cached and (normally) confirmed by the broker. */
	public Mono<Meeting> book(CreateMeetingRequest request, String organizerId) {
		return book(request, organizerId, null);
	}

	/**
	 * Books at most once per idempotency key: a repeat with the same body gives back the meeting the key first booked.
	 * <p>
	 * Bounded as a whole by {@code meeting.booking.timeout}, whatever it is waiting on (the attendees, the database,
	 * Redis, the broker's confirm): the answer comes by then. Cut off before its commit, the booking is rolled back
	 * and answered 503 (BookingTimeoutTests). Cut off after it, in the cache or publish stage, the meeting is durable
	 * and its event in the outbox (the relay publishes it): it is answered 201 as booked. Cut off while the commit is
	 * under way, nobody can tell: 503, and a retry with the same Idempotency-Key gives back the meeting if the commit
	 * landed. The gateway's response timeout is longer, so that it is this bound, not the gateway, that answers.
	 */
	Mono<Meeting> book(CreateMeetingRequest request, String organizerId, IdempotencyKey key) {
		return Mono.defer(() -> {
			AtomicReference<Meeting> committed = new AtomicReference<>();
			return bookOnce(request, organizerId, key, committed).timeout(this.bookingTimeout,
					Mono.defer(() -> cutOff(committed.get())));
		});
	}

	private Mono<Meeting> cutOff(Meeting committed) {
		if (committed == null) {
			return Mono.error(new BookingTimeoutException(this.bookingTimeout));
		}
		return RequestContext
			.log(() -> log.warn("Booking of {} committed but not finished within {} ms; answered as booked, the outbox "
					+ "relay publishes its MeetingCreated", committed.meetingId(), this.bookingTimeout.toMillis()))
			.thenReturn(committed);
	}

	private Mono<Meeting> bookOnce(CreateMeetingRequest request, String organizerId, IdempotencyKey key,
			AtomicReference<Meeting> committed) {
		Mono<Meeting> booking = this.validator.validate(request)
			.flatMap((valid) -> timed(this.resolveStage, this.attendees.resolve(valid.attendees(), organizerId))
				.map((participants) -> new Draft(newMeeting(valid, organizerId, participants.attendees()), participants)))
			.flatMap((draft) -> timed(this.saveStage, save(draft, key)))
			.doOnNext((saved) -> committed.set(saved.meeting()))
			.doOnNext((saved) -> this.created.increment())
			.flatMap((saved) -> timed(this.cacheStage, cache(saved)))
			.flatMap((saved) -> timed(this.publishStage, publish(saved)))
			.map(Saved::meeting);
		if (key == null) {
			return booking;
		}
		return bookedBefore(key).switchIfEmpty(booking.onErrorResume(KeyTaken.class, (ex) -> bookedBefore(key)));
	}

	private Mono<Meeting> bookedBefore(IdempotencyKey key) {
		return this.idempotencyKeys.bookedBefore(key).flatMap(this::find);
	}

	/** The meeting, from the cache when it is there, else from the database (and then cached again). */
	public Mono<Meeting> find(UUID meetingId) {
		return this.cache.find(meetingId)
			.switchIfEmpty(Mono.defer(() -> this.store.findById(meetingId).flatMap((meeting) -> this.cache.save(meeting)
				.thenReturn(meeting))))
			.switchIfEmpty(Mono.error(() -> new MeetingNotFoundException(meetingId)));
	}

	private Meeting newMeeting(CreateMeetingRequest request, String organizerId, List<AttendeeProfile> profiles) {
		List<Meeting.Attendee> attendees = profiles.stream()
			.map((profile) -> new Meeting.Attendee(profile.userId(), profile.name(), profile.email()))
			.toList();
		OffsetDateTime now = OffsetDateTime.now(this.clock).withOffsetSameInstant(ZoneOffset.UTC)
			.truncatedTo(ChronoUnit.MICROS);
		return new Meeting(TimeOrderedIds.at(now.toInstant()), request.title(), utc(request.startAt()), utc(request.endAt()),
				request.location(), organizerId, Meeting.SCHEDULED, now, attendees);
	}

	private Mono<Saved> save(Draft draft, IdempotencyKey key) {
		Meeting meeting = draft.meeting();
		return saveAtomically(meeting, toEvent(meeting, draft.participants()), key)
			.map((entry) -> new Saved(meeting, entry));
	}

	/**
	 * The meeting, its attendees and its event in one statement: all of them or none. With an Idempotency-Key, the
	 * key is claimed first in the same transaction.
	 */
	Mono<OutboxEntry> saveAtomically(Meeting meeting, MeetingCreated event) {
		return saveAtomically(meeting, event, null);
	}

	private Mono<OutboxEntry> saveAtomically(Meeting meeting, MeetingCreated event, IdempotencyKey key) {
		OutboxEntry entry = this.outbox.entry(event);
		Mono<OutboxEntry> insert = this.store.insert(meeting, entry).thenReturn(entry);
		// a transaction even for the one statement: a booking cut off by its timeout while the statement waits rolls
		// back, instead of committing after its client was told 503 and may book again (BookingTimeoutTests)
		// cancel-safe (Transactions): a cancel rolls back, never hands r2dbc-pool a connection mid-BEGIN (CancelledBookingTests)
		if (key == null) {
			return this.tx.transactional(insert);
		}
		return this.tx.transactional(this.idempotencyKeys.claim(key, meeting.meetingId())
			.flatMap((owned) -> owned ? insert : Mono.error(new KeyTaken())));
	}

	private Mono<Saved> cache(Saved saved) {
		return this.cache.save(saved.meeting()).thenReturn(saved);
	}

	private Mono<Saved> publish(Saved saved) {
		// the event is already durable in the outbox: a slow or absent broker delays it (at most
		// meeting.events.confirm-timeout), it does not fail the booking
		return this.relay.publish(saved.event())
			.flatMap((published) -> published ? Mono.<Void>empty()
					: RequestContext.log(() -> log.warn(
							"MeetingCreated of {} not confirmed in time; the outbox relay will publish it",
							saved.meeting().meetingId())))
			.onErrorResume((ex) -> RequestContext
				.log(() -> log.warn("Publishing MeetingCreated of {} failed, left to the outbox relay: {}",
						saved.meeting().meetingId(), ex.toString())))
			.thenReturn(saved);
	}

	private MeetingCreated toEvent(Meeting meeting, AttendeeResolver.Participants participants) {
		List<MeetingCreated.Attendee> attendees = participants.attendees()
			.stream()
			.map((profile) -> new MeetingCreated.Attendee(profile.userId(), profile.name(), profile.email(),
					profile.timezone()))
			.toList();
		AttendeeProfile organizer = participants.organizer();
		Instant createdAt = meeting.createdAt().toInstant();
		return new MeetingCreated(TimeOrderedIds.at(createdAt), MeetingCreated.TYPE, createdAt, meeting.meetingId(),
				meeting.title(), meeting.startAt(), meeting.endAt(), meeting.location(), meeting.organizerId(),
				new MeetingCreated.Organizer(meeting.organizerId(), organizer.name(), organizer.email(),
						organizer.timezone()),
				attendees);
	}

	/** The stage's time from subscription to its end, whichever end it has (a value, an error, a timeout's cancel). */
	private static <T> Mono<T> timed(Timer stage, Mono<T> work) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return work.doFinally((signal) -> stage.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
		});
	}

	private static Timer stageTimer(String stage, MeterRegistry meters) {
		return Timer.builder("meeting.booking.stage").tag("stage", stage).register(meters);
	}

	private static OffsetDateTime utc(OffsetDateTime time) {
		return time.withOffsetSameInstant(ZoneOffset.UTC);
	}

	private record Saved(Meeting meeting, OutboxEntry event) {
	}

	/** The meeting to save and the profiles its event describes. */
	private record Draft(Meeting meeting, AttendeeResolver.Participants participants) {
	}

	/** Another request with the same key committed first; this one rolls back and answers as that one did. */
	private static final class KeyTaken extends RuntimeException {

		KeyTaken() {
			super("Idempotency-Key already used", null, false, false);
		}

	}

}
