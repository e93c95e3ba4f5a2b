package dev.seed.meetings.gateway.routing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.support.web.RequestIdLogging;

/**
 * The headers the gateway writes for the service, in one copy of the request's headers as they are forwarded:
 * {@code X-Request-Id} ({@link RequestIdLogging}), {@code X-User-Id} and {@code X-User-Scopes}
 * ({@link UserIdRelayFilter}; whatever a client sent is dropped), {@code X-Gateway-Token} when {@code gateway.service-token} is set (the proof that the
 * {@code X-User-Id} comes from the gateway; a client's is dropped as well), and the W3C trace context, with the
 * gateway's own span (the one of the request it received) as the parent of the service's. Setting each on a mutated
 * request copied every header once per filter, and Spring Cloud Gateway's observability
 * ({@code spring.cloud.gateway.server.webflux.observability.enabled}, off) would start one more span and timer per
 * forwarded request to write the trace context (flight recordings under load).
 */
@Component
class ServiceHeaders implements HttpHeadersFilter {

	static final String GATEWAY_TOKEN = "X-Gateway-Token";

	private final Propagator propagator;

	private final String serviceToken;

	ServiceHeaders(ObjectProvider<Propagator> propagator, GatewayProperties properties) {
		this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
		this.serviceToken = StringUtils.hasText(properties.serviceToken()) ? properties.serviceToken() : null;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders headers = HttpHeaders.copyOf(input);
		headers.remove(UserIdRelayFilter.HEADER);
		headers.remove(UserIdRelayFilter.SCOPES_HEADER);
		if (this.serviceToken != null) {
			headers.set(GATEWAY_TOKEN, this.serviceToken);
		}
		else {
			headers.remove(GATEWAY_TOKEN);
		}
		String userId = exchange.getAttribute(UserIdRelayFilter.ATTRIBUTE);
		if (userId != null) {
			headers.set(UserIdRelayFilter.HEADER, userId);
		}
		String scopes = exchange.getAttribute(UserIdRelayFilter.SCOPES_ATTRIBUTE);
		if (scopes != null) {
			headers.set(UserIdRelayFilter.SCOPES_HEADER, scopes);
		}
		String requestId = exchange.getAttribute(RequestIdLogging.ATTRIBUTE);
		if (requestId != null) {
			headers.set(RequestIdLogging.HEADER, requestId);
		}
		Span span = serverSpan(exchange);
		if (span != null) {
			this.propagator.inject(span.context(), headers, HttpHeaders::set);
		}
		return headers;
	}

	private static Span serverSpan(ServerWebExchange exchange) {
		return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map((context) -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
			.map(TracingObservationHandler.TracingContext::getSpan)
			.orElse(null);
	}

}
