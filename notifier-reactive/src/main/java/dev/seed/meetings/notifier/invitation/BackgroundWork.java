package dev.seed.meetings.notifier.invitation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * The lifecycle the consumers and the poller share: work started with the application, counted while in progress,
 * and on shutdown no new work taken, the work in progress let finish within {@code notifier.shutdown-grace}, then
 * the rest let go of ({@link #stopped}).
 */
abstract class BackgroundWork implements SmartLifecycle {

	private final Duration grace;

	private final int phase;

	private final AtomicInteger inProgress = new AtomicInteger();

	private volatile boolean stopping;

	private volatile Disposable running;

	BackgroundWork(Duration grace, int phase) {
		this.grace = grace;
		this.phase = phase;
	}

	/** Subscribes the work; what it gives back is disposed when the work stops. */
	abstract Disposable run();

	/** After the work stopped: {@code unfinished} items were still in progress when the grace ran out. */
	void stopped(int unfinished) {
	}

	/** {@code item}, counted while in progress; empty once stopping, so that no new work starts. */
	final <T> Mono<T> counted(Mono<T> item) {
		return Mono.defer(() -> {
			if (this.stopping) {
				return Mono.empty();
			}
			this.inProgress.incrementAndGet();
			return item.doFinally((signal) -> this.inProgress.decrementAndGet());
		});
	}

	@Override
	public final void start() {
		this.stopping = false;
		this.running = run();
	}

	@Override
	public final void stop() {
		this.stopping = true;
		long deadline = System.nanoTime() + this.grace.toNanos();
		// on the shutdown thread, which may wait
		while (this.inProgress.get() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(50_000_000L);
		}
		int unfinished = this.inProgress.get();
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		stopped(unfinished);
	}

	@Override
	public final boolean isRunning() {
		Disposable current = this.running;
		return current != null && !current.isDisposed();
	}

	@Override
	public final int getPhase() {
		return this.phase;
	}

}
