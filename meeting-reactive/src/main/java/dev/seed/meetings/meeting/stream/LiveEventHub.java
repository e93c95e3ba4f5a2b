package dev.seed.meetings.meeting.stream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.booking.Meeting;
import dev.seed.meetings.meeting.booking.MeetingBooking;
import dev.seed.meetings.meeting.booking.MeetingNotFoundException;
import dev.seed.meetings.meeting.events.BrokerNames;

/**
 * The one broker subscription of this instance, shared by every stream subscriber.
 * <p>
 * Events from the {@link EventFeed} are numbered ({@code <epoch>-<n>}, the epoch telling this instance's run apart
 * from any other) and pushed into a replay sink that keeps the retention window (the last
 * {@code meeting.stream.retention.events}, none older than {@code meeting.stream.retention.age}). A subscriber reads
 * that sink from its own position: live only, or from just after its {@code Last-Event-ID}; an id this instance
 * cannot resume from (another run, another instance, or older than the window) first gets an {@code expired} notice,
 * then live events.
 * <p>
 * Slow subscribers: each one has a bounded buffer of {@code meeting.stream.subscriber-buffer} events (plus the events
 * it asked to replay). When an event finds the buffer full, the subscriber is dropped: it is unsubscribed from the
 * live events at once, still gets what its buffer holds, then a final {@code dropped} notice, and its stream completes,
 * so that it can reconnect with the last id it got and resume within the retention window. Memory per
 * subscriber never exceeds the buffer; the shared subscription never waits for anyone.
 */
@Component
class LiveEventHub implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LiveEventHub.class);

	private static final Map<String, String> TYPES = Map.of(BrokerNames.MEETING_CREATED, "MeetingCreated",
			BrokerNames.MEETING_UPDATED, "MeetingUpdated", BrokerNames.MEETING_CANCELLED, "MeetingCancelled",
			BrokerNames.INVITATION_SENT, "InvitationSent", BrokerNames.INVITATION_FAILED, "InvitationFailed",
			BrokerNames.INVITATION_ANSWERED, "InvitationAnswered");

	/** Meetings whose participants are remembered: those of recent events, so that most lookups never leave memory. */
	private static final int KNOWN_MEETINGS = 10_000;

	private static final Duration PARTICIPANTS_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);

	/** How long stopping waits for an event being handed to the subscribers before it ends their streams. */
	private static final Duration LAST_EMISSION_WAIT = Duration.ofSeconds(5);

	private final EventFeed feed;

	private final JsonMapper json;

	private final StreamProperties properties;

	private final String epoch = UUID.randomUUID().toString().substring(0, 8);

	/** Replaced when the hub starts again after a stop, which completed the previous one. */
	private volatile Sinks.Many<StreamEvent> history;

	/** When each event of the window arrived, by sequence modulo the window size. */
	private final AtomicLongArray arrivals;

	/** Written by the feed's pipeline only, one event at a time. */
	private long sequence;

	/** The highest sequence already in {@link #history}. */
	private volatile long lastEmitted;

	private volatile Disposable subscription;

	private volatile boolean stopped;

	private final MeetingBooking meetings;

	/** Each recent meeting's organizer and attendees, by meeting id; touched by the feed's pipeline only. */
	private final Map<String, Set<String>> participants = new LinkedHashMap<>(256, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
			return size() > KNOWN_MEETINGS;
		}

	};

	LiveEventHub(EventFeed feed, JsonMapper json, StreamProperties properties, MeetingBooking meetings) {
		this.feed = feed;
		this.json = json;
		this.properties = properties;
		this.meetings = meetings;
		this.history = newHistory();
		this.arrivals = new AtomicLongArray(properties.retention().events());
	}

	/**
	 * The stream for one subscriber: the events {@code filter} accepts, live or resumed after {@code lastEventId},
	 * with at most {@code buffer} of them waiting for the subscriber before it is dropped.
	 */
	Flux<StreamEvent> subscribe(String lastEventId, Predicate<StreamEvent> filter, int buffer) {
		return Flux.defer(() -> {
			long now = this.lastEmitted;
			Flux<StreamEvent> events;
			int replayed = 0;
			if (lastEventId == null || lastEventId.isBlank()) {
				events = after(now);
			}
			else {
				long lastSeen = positionOf(lastEventId);
				if (lastSeen == now) {
					events = after(now);
				}
				else if (lastSeen < 0 || lastSeen > now || !retained(lastSeen + 1, now)) {
					events = after(now).startWith(expired(lastEventId));
				}
				else {
					events = resume(lastEventId, lastSeen, now);
					replayed = (int) (now - lastSeen);
				}
			}
			int capacity = buffer + replayed;
			return events.filter((event) -> event.isNotice() || filter.test(event))
				.onBackpressureBuffer(capacity,
						(overflow) -> log.info("Dropping a stream subscriber: {} events waiting", capacity),
						BufferOverflowStrategy.ERROR)
				.onErrorResume(Exceptions::isOverflow, (ex) -> Mono.just(dropped(capacity)));
		});
	}

	private Flux<StreamEvent> after(long sequence) {
		return this.history.asFlux().filter((event) -> event.sequence() > sequence);
	}

	/** Replays from just after {@code lastSeen}; should the window have moved on meanwhile, says so and goes live. */
	private Flux<StreamEvent> resume(String lastEventId, long lastSeen, long now) {
		return after(lastSeen).switchOnFirst((first, events) -> {
			if (first.hasValue() && first.get().sequence() > lastSeen + 1) {
				return events.filter((event) -> event.sequence() > now).startWith(expired(lastEventId));
			}
			return events;
		});
	}

	/** The sequence of one of this run's ids, or -1. */
	private long positionOf(String id) {
		String prefix = this.epoch + "-";
		if (!id.startsWith(prefix)) {
			return -1;
		}
		try {
			return Long.parseLong(id.substring(prefix.length()));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private boolean retained(long sequence, long now) {
		StreamProperties.Retention retention = this.properties.retention();
		if (now - sequence >= retention.events()) {
			return false;
		}
		long arrived = this.arrivals.get((int) (sequence % retention.events()));
		return System.currentTimeMillis() - arrived < retention.age().toMillis();
	}

	// expired and dropped notices are built alike but carry different fields, so each spells its own
	private StreamEvent expired(String lastEventId) {
		ObjectNode data = this.json.createObjectNode()
			.put("type", StreamEvent.EXPIRED)
			.put("lastEventId", lastEventId)
			.put("detail", "Events after this id are no longer kept; the stream goes on with live events.");
		return StreamEvent.notice(StreamEvent.EXPIRED, data);
	}

	private StreamEvent dropped(int capacity) {
		ObjectNode data = this.json.createObjectNode()
			.put("type", StreamEvent.DROPPED)
			.put("buffer", capacity)
			.put("detail", "The subscriber did not keep up; reconnect with the last id received to resume.");
		return StreamEvent.notice(StreamEvent.DROPPED, data);
	}

	/**
	 * The message read and joined with its meeting's participants: those a {@code MeetingCreated} names, remembered
	 * for the events that follow; for an event of a meeting this instance has not seen, looked up once (cache, else
	 * database). Never fails: an unreadable message is skipped, participants that cannot be found are none.
	 */
	private Mono<StreamEvent> read(FeedMessage message) {
		Parsed parsed;
		try {
			parsed = parse(message);
		}
		catch (RuntimeException ex) {
			// one odd message must not end the subscription that every subscriber shares
			log.warn("Ignoring a {} message: {}", message.routingKey(), ex.toString());
			return Mono.empty();
		}
		if (parsed == null) {
			return Mono.empty();
		}
		if (parsed.participants() != null) {
			remember(parsed.meetingId(), parsed.current());
			return Mono.just(number(parsed, parsed.participants()));
		}
		return participantsOf(parsed.meetingId()).map((found) -> number(parsed, found));
	}

	private Mono<Set<String>> participantsOf(String meetingId) {
		Set<String> known = (meetingId != null) ? this.participants.get(meetingId) : null;
		if (known != null || meetingId == null) {
			return Mono.just((known != null) ? known : Set.of());
		}
		return Mono.fromCallable(() -> UUID.fromString(meetingId))
			.flatMap(this.meetings::find)
			.map(LiveEventHub::participantsOf)
			.timeout(PARTICIPANTS_LOOKUP_TIMEOUT)
			.doOnNext((found) -> remember(meetingId, found))
			.onErrorResume(MeetingNotFoundException.class, (ex) -> {
				log.debug("An event of meeting {}, which does not exist, goes to operators only", meetingId);
				return Mono.just(Set.of());
			})
			.onErrorResume((ex) -> {
				log.warn("Participants of meeting {} not found ({}): its event goes to operators only", meetingId,
						ex.toString());
				return Mono.just(Set.of());
			});
	}

	private static Set<String> participantsOf(Meeting meeting) {
		Set<String> ids = new LinkedHashSet<>();
		if (meeting.organizerId() != null) {
			ids.add(meeting.organizerId());
		}
		meeting.attendees().forEach((attendee) -> ids.add(attendee.userId()));
		return Set.copyOf(ids);
	}

	private void remember(String meetingId, Set<String> found) {
		if (meetingId != null) {
			this.participants.put(meetingId, found);
		}
	}

	/** Hands the event to every subscriber; runs for one event at a time, in the order the broker delivered them. */
	private void accept(StreamEvent event) {
		this.arrivals.set((int) (event.sequence() % this.arrivals.length()), System.currentTimeMillis());
		Sinks.EmitResult result = this.history.tryEmitNext(event);
		if (result.isFailure()) {
			log.warn("Stream event {} not emitted: {}", event.id(), result);
		}
		this.lastEmitted = event.sequence();
	}

	private Parsed parse(FeedMessage message) {
		String type = TYPES.get(message.routingKey());
		JsonNode data;
		try {
			data = this.json.readTree(message.body());
		}
		catch (JacksonException ex) {
			log.warn("Ignoring an unreadable {} message ({})", message.routingKey(), ex.getClass().getSimpleName());
			return null;
		}
		if (type == null || data == null || !data.isObject()) {
			log.warn("Ignoring a {} message that is not a JSON object", message.routingKey());
			return null;
		}
		Set<String> userIds = new LinkedHashSet<>();
		Set<String> participants = null;
		Set<String> current = null;
		if (type.startsWith("Meeting")) {
			// a meeting event names the meeting's participants as they now are, remembered for the events that follow
			for (JsonNode attendee : data.path("attendees")) {
				addText(userIds, attendee.get("userId"));
			}
			current = new LinkedHashSet<>(userIds);
			addText(current, data.get("organizerId"));
			current = Set.copyOf(current);
			// a removed attendee is concerned by, and sees, the change that removed them, but nothing after it
			for (JsonNode attendee : data.path("removed")) {
				addText(userIds, attendee.get("userId"));
			}
			participants = new LinkedHashSet<>(current);
			participants.addAll(userIds);
			participants = Set.copyOf(participants);
		}
		else {
			addText(userIds, data.get("userId"));
		}
		JsonNode meetingId = data.get("meetingId");
		return new Parsed(type, (meetingId != null && meetingId.isString()) ? meetingId.asString() : null,
				Set.copyOf(userIds), participants, current, data);
	}

	/** The next place in this instance's sequence; called for one event at a time. */
	private StreamEvent number(Parsed parsed, Set<String> participants) {
		long next = ++this.sequence;
		return new StreamEvent(this.epoch + "-" + next, next, parsed.type(), parsed.meetingId(), parsed.userIds(),
				participants, parsed.data(), this.json.writeValueAsString(parsed.data()));
	}

	/**
	 * A message read, before its participants are known ({@code participants} null unless it names them;
	 * {@code current}: the meeting's participants after it, to remember, null unless it names them).
	 */
	private record Parsed(String type, String meetingId, Set<String> userIds, Set<String> participants,
			Set<String> current, JsonNode data) {
	}

	private static void addText(Set<String> values, JsonNode node) {
		if (node != null && node.isString()) {
			values.add(node.asString());
		}
	}

	private Sinks.Many<StreamEvent> newHistory() {
		StreamProperties.Retention retention = this.properties.retention();
		return Sinks.many().replay().limit(retention.events(), retention.age());
	}

	/**
	 * Subscribes to the broker and returns once the subscription's queue is bound, so that the events published after
	 * start-up reach the streams; without the broker, after {@code meeting.stream.subscribe-wait}, it returns all the
	 * same and the subscription keeps trying in the background. Blocks the starting thread, never an event loop.
	 */
	@Override
	public void start() {
		if (this.stopped) {
			// a stopped context starts again (Spring pauses the contexts it caches between tests)
			this.history = newHistory();
			this.stopped = false;
		}
		CountDownLatch bound = new CountDownLatch(1);
		Duration delay = this.properties.reconnectDelay();
		this.subscription = Flux.defer(() -> this.feed.messages(bound::countDown))
			.doOnComplete(() -> log.warn("Live stream's broker subscription ended; subscribing again"))
			.repeatWhen((ends) -> ends.delayElements(delay))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, delay)
				.maxBackoff(MAX_RECONNECT_DELAY)
				.transientErrors(true)
				.doBeforeRetry((signal) -> log.warn("Live stream cannot subscribe to the broker yet: {}",
						signal.failure().toString())))
			.concatMap(this::read)
			.subscribe(this::accept);
		awaitBound(bound);
	}

	private void awaitBound(CountDownLatch bound) {
		Duration wait = this.properties.subscribeWait();
		try {
			if (!bound.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Live stream not subscribed to the broker after {}: starting without it, still trying", wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Ends every subscriber's stream (they reconnect elsewhere) and the broker subscription. */
	@Override
	public void stop() {
		this.stopped = true;
		// the subscription first, so that nothing follows an event it may be emitting right now; the completion then
		// waits for that emission rather than failing beside it and leaving the streams open for good
		Disposable running = this.subscription;
		if (running != null) {
			running.dispose();
			this.subscription = null;
		}
		try {
			this.history.emitComplete(Sinks.EmitFailureHandler.busyLooping(LAST_EMISSION_WAIT));
		}
		catch (Sinks.EmissionException ex) {
			log.warn("Live streams not ended on stop: {}", ex.getReason());
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

}
