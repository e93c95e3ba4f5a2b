package dev.seed.meetings.gateway.routing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Carries the W3C trace context to the service, with the gateway's own span (the one of the request it received) as
 * the parent of the service's. Spring Cloud Gateway's observability
 * ({@code spring.cloud.gateway.server.webflux.observability.enabled}, off) would start one more span and timer per
 * forwarded request to write the same header: a twentieth of the gateway's CPU (deploy/bench/profile.sh).
 */
@Component
class TraceContextRelay implements HttpHeadersFilter {

	private final Propagator propagator;

	TraceContextRelay(ObjectProvider<Propagator> propagator) {
		this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		Span span = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map((context) -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
			.map(TracingObservationHandler.TracingContext::getSpan)
			.orElse(null);
		if (span == null) {
			return input;
		}
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(input);
		this.propagator.inject(span.context(), headers, HttpHeaders::set);
		return headers;
	}

}
