package dev.seed.meetings.meeting.events;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The W3C trace context of the current span as AMQP headers ({@code traceparent}, and {@code tracestate} when there
 * is one), so that the notifier continues the booking's trace. Outside a trace (the outbox relay publishing rows
 * left behind) there is nothing to carry and the message goes without.
 */
@Component
class TraceHeaders {

	private final Tracer tracer;

	private final Propagator propagator;

	TraceHeaders(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
		this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
	}

	Map<String, Object> current() {
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return Map.of();
		}
		Map<String, Object> headers = new HashMap<>();
		this.propagator.inject(span.context(), headers, (carrier, key, value) -> carrier.put(key, value));
		return headers;
	}

}
