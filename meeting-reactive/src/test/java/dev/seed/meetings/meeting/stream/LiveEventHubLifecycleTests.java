package dev.seed.meetings.meeting.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

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

	private static LiveEventHub hub(Function<Runnable, Flux<FeedMessage>> feed, Duration subscribeWait) {
		StreamProperties properties = new StreamProperties(Duration.ofSeconds(15), 16,
				new StreamProperties.Retention(100, Duration.ofMinutes(5)), Duration.ofMillis(100), subscribeWait);
		return new LiveEventHub(feed::apply, JsonMapper.builder().build(), properties, null);
	}

}
