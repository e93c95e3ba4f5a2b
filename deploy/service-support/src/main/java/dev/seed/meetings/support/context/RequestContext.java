package dev.seed.meetings.support.context;

import java.util.function.Supplier;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Mono;

/**
 * The request's trace context and request id, put on the current thread only where a line is logged or a trace
 * header is read. Reactor's automatic context propagation does that around every operator of every request: about a
 * sixth of what a booking allocated and a fifth of the gateway's CPU (flight recordings under load), so every
 * service runs with {@code spring.reactor.context-propagation: limited} and the few places that need the context ask
 * for it here.
 */
public final class RequestContext {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private RequestContext() {
	}

	/** {@code body}, assembled with the subscriber's context on this thread. */
	public static <T> Mono<T> within(Supplier<Mono<T>> body) {
		return Mono.deferContextual((context) -> {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				return body.get();
			}
		});
	}

	/** Completes empty after running {@code line} (a log statement) with the subscriber's context on this thread. */
	public static Mono<Void> log(Runnable line) {
		return within(() -> {
			line.run();
			return Mono.empty();
		});
	}

}
