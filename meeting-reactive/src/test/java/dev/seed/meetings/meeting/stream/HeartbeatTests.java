package dev.seed.meetings.meeting.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The heartbeats a stream response is merged with. */
class HeartbeatTests {

	private static final Duration EVERY = Duration.ofSeconds(15);

	/** The first heartbeat, which starts the response, comes at once even while every timer thread is busy. */
	@Test
	void firstHeartbeatDoesNotWaitForTheTimer() throws InterruptedException {
		try (BusyWorkers busy = BusyWorkers.occupyParallel()) {
			StreamController.withHeartbeats(Flux.<String>never(), "heartbeat", EVERY)
				.as(StepVerifier::create)
				.expectNext("heartbeat")
				.thenCancel()
				.verify(Duration.ofSeconds(5));
		}
	}

	/** Then one heartbeat every interval, events in between, and nothing more once the events end. */
	@Test
	void heartbeatsFollowTheIntervalUntilTheEventsEnd() {
		Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> StreamController.withHeartbeats(events.asFlux(), "heartbeat", EVERY))
			.expectSubscription()
			.expectNext("heartbeat")
			.then(() -> events.tryEmitNext("event"))
			.expectNext("event")
			.expectNoEvent(EVERY.minusSeconds(1))
			.thenAwait(Duration.ofSeconds(1))
			.expectNext("heartbeat")
			.then(events::tryEmitComplete)
			.verifyComplete();
	}

	/** Keeps every worker of {@link Schedulers#parallel()}, which times the heartbeats, spinning until closed. */
	private static final class BusyWorkers implements AutoCloseable {

		private final AtomicBoolean released = new AtomicBoolean();

		private final Set<Thread> busy = ConcurrentHashMap.newKeySet();

		static BusyWorkers occupyParallel() throws InterruptedException {
			BusyWorkers workers = new BusyWorkers();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			// tasks go to the workers in turn; one that lands on a worker already spinning just waits for the release
			while (workers.busy.size() < Schedulers.DEFAULT_POOL_SIZE && System.nanoTime() < deadline) {
				CountDownLatch started = new CountDownLatch(1);
				Schedulers.parallel().schedule(() -> workers.spin(started));
				started.await(100, TimeUnit.MILLISECONDS);
			}
			if (workers.busy.size() < Schedulers.DEFAULT_POOL_SIZE) {
				workers.close();
				throw new IllegalStateException("Only " + workers.busy.size() + " workers could be occupied");
			}
			return workers;
		}

		private void spin(CountDownLatch started) {
			if (this.released.get() || !this.busy.add(Thread.currentThread())) {
				return;
			}
			started.countDown();
			while (!this.released.get()) {
				// no Thread.onSpinWait(): BlockHound refuses it on these threads
			}
		}

		@Override
		public void close() {
			this.released.set(true);
		}

	}

}
