package dev.seed.meetings.gateway.problem;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.web.FrameworkProblemAdvice;

/**
 * The answers Spring gives itself for the gateway's own endpoints and for a body that fails while it streams (405
 * with {@code Allow}, 413, 415 …) and for a route whose response timeout ran out (504 with {@code Retry-After}), as
 * problem+json like every other answer of the gateway: in place of Boot's handler, which leaves {@code type} out
 * when it is about:blank. The shared base of every service's advice, without their catch-all, which would take the
 * routing failures from {@link ProblemErrorHandler}.
 */
@RestControllerAdvice
class FrameworkProblems extends FrameworkProblemAdvice {

	private final String retryAfterSeconds;

	FrameworkProblems(ServiceProperties service) {
		this.retryAfterSeconds = service.retryAfterSeconds();
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, @Nullable Object body,
			@Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return super.handleExceptionInternal(ex, body, headers, status, exchange)
			.map((entity) -> (status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) ? gatewayTimeout(entity) : entity);
	}

	/**
	 * The route's response timeout ran out (Spring Cloud Gateway's 504). The service may still complete the request,
	 * a booking may still commit: the client is told when to retry, and that the same Idempotency-Key makes it safe.
	 */
	private ResponseEntity<Object> gatewayTimeout(ResponseEntity<Object> entity) {
		if (entity.getBody() instanceof ProblemDetail problem) {
			problem.setDetail(ProblemErrorHandler.GATEWAY_TIMEOUT_DETAIL);
		}
		return ResponseEntity.status(entity.getStatusCode())
			.headers(entity.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
			.body(entity.getBody());
	}

}
