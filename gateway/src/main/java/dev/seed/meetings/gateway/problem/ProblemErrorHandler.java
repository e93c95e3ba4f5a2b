package dev.seed.meetings.gateway.problem;

import java.net.ConnectException;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.context.RequestContext;
import dev.seed.meetings.support.web.RequestIdLogging;

/**
 * Turns whatever failed while routing into a problem+json answer: an unreachable service is
 * 503 with {@code Retry-After}, a service that hung up mid-answer 502, a slow one 504 with
 * {@code Retry-After} (the gateway's response timeout), and anything unforeseen a 500 without details. Runs before
 * Boot's own handler, which would answer plain JSON.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

	static final String GATEWAY_TIMEOUT_DETAIL = "The service behind this route did not answer in time; it may still "
			+ "complete the request. Retry with the same Idempotency-Key.";

	private final ProblemResponses problems;

	private final String retryAfterSeconds;

	ProblemErrorHandler(ProblemResponses problems, ServiceProperties service) {
		this.problems = problems;
		this.retryAfterSeconds = service.retryAfterSeconds();
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		// context propagation is limited to where it is asked for (spring.reactor.context-propagation): the lines
		// logged here put the request's trace context on this thread themselves
		return RequestContext.within(() -> {
			String requestId = exchange.getResponse().getHeaders().getFirst(RequestIdLogging.HEADER);
			if (requestId == null) {
				return problem(exchange, ex);
			}
			// the Reactor context that carries the request id belongs to the filter chain, which has ended
			try (MDC.MDCCloseable scope = MDC.putCloseable(RequestIdLogging.MDC_KEY, requestId)) {
				return problem(exchange, ex);
			}
		});
	}

	private Mono<Void> problem(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		exchange.getResponse().getHeaders().clearContentHeaders();
		if (ex instanceof ResponseStatusException rse) {
			return statusProblem(exchange, rse);
		}
		if (isUnreachable(ex)) {
			log.warn("{} {}: service unreachable: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), ex.toString());
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds);
			return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
					"The service behind this route is not reachable");
		}
		if (ex instanceof PrematureCloseException || ex instanceof AbortedException) {
			log.warn("{} {}: service closed the connection: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), ex.toString());
			return this.problems.write(exchange, HttpStatus.BAD_GATEWAY,
					"The service behind this route closed the connection");
		}
		log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return this.problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error");
	}

	private Mono<Void> statusProblem(ServerWebExchange exchange, ResponseStatusException ex) {
		HttpStatusCode status = ex.getStatusCode();
		if (status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds);
			return this.problems.write(exchange, status, GATEWAY_TIMEOUT_DETAIL);
		}
		if (status.is5xxServerError()) {
			log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.toString());
			return this.problems.write(exchange, status, "The request could not be completed");
		}
		String detail = (ex.getReason() != null) ? ex.getReason() : "The request was refused";
		return this.problems.write(exchange, status, detail);
	}

	private static boolean isUnreachable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

}
