package dev.seed.meetings.meeting.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import dev.seed.meetings.meeting.events.BrokerNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The hub's start and stop against a feed whose timing each test sets. */
class LiveEventHubLifecycleTests {

	private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(5);

	/** start() returns only once the feed's queue is bound, so that an event published right after is not missed. */
	@Test
	void startReturnsOnceTheQueueIsBound() {
		AtomicBoolean bound = new AtomicBoolean();
		LiveEventHub hub = hub((onBound) -> Flux.<FeedMessage>never()
			.mergeWith(Mono.delay(Duration.ofMillis(500)).then(Mono.<FeedMessage>fromRunnable(() -> {
				bound.set(true);
				onBound.run();
			}))), SUBSCRIBE_WAIT);

		hub.start();
		try {
			assertThat(bound).as("queue bound when start() returns").isTrue();
			assertThat(hub.isRunning()).isTrue();
		}
		finally {
			hub.stop();
		}
	}

	/** Without the broker the hub starts all the same once the wait is over, still trying in the background. */
	@Test
	void startGoesOnWithoutTheBroker() {
		LiveEventHub hub = hub((onBound) -> Flux.error(new IOException("Connection refused")), Duration.ofMillis(300));

		assertTimeoutPreemptively(Duration.ofSeconds(3), hub::start);
		try {
			assertThat(hub.isRunning()).isTrue();
		}
		finally {
			hub.stop();
		}
	}

	/**
	 * Stopping while an event is being handed to a subscriber (here one that holds it until the feed is cancelled)
	 * still ends that subscriber's stream, after the event.
	 */
	@Test
	void stopEndsTheStreamsWhileAnEventIsBeingEmitted() throws InterruptedException {
		Sinks.Many<FeedMessage> messages = Sinks.many().unicast().onBackpressureBuffer();
		CountDownLatch cancelled = new CountDownLatch(1);
		LiveEventHub hub = hub((onBound) -> {
			onBound.run();
			return messages.asFlux().doOnCancel(cancelled::countDown);
		}, SUBSCRIBE_WAIT);
		hub.start();
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch completed = new CountDownLatch(1);
		List<String> received = new CopyOnWriteArrayList<>();
		hub.subscribe(null, (event) -> true, 16).doOnNext((event) -> {
			holding.countDown();
			await(cancelled);
		}).subscribe((event) -> received.add(event.type()), (ex) -> { }, completed::countDown);
		Thread emitter = new Thread(() -> messages.tryEmitNext(meetingCreated()), "feed");
		emitter.start();
		assertThat(holding.await(5, TimeUnit.SECONDS)).as("event being emitted").isTrue();

		hub.stop();

		assertThat(completed.await(5, TimeUnit.SECONDS)).as("stream completed").isTrue();
		assertThat(received).containsExactly("MeetingCreated");
		emitter.join(5_000);
	}

	private static LiveEventHub hub(Function<Runnable, Flux<FeedMessage>> feed, Duration subscribeWait) {
		StreamProperties properties = new StreamProperties(Duration.ofSeconds(15), 16,
				new StreamProperties.Retention(100, Duration.ofMinutes(5)), Duration.ofMillis(100), subscribeWait);
		return new LiveEventHub(feed::apply, JsonMapper.builder().build(), properties, null);
	}

	private static FeedMessage meetingCreated() {
		String body = "{\"meetingId\":\"m-1\",\"organizerId\":\"u-1\",\"attendees\":[{\"userId\":\"u-2\"}]}";
		return new FeedMessage(BrokerNames.MEETING_CREATED, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
