package dev.seed.meetings.notifier.web;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every error of the HTTP API as RFC 9457 problem details. Spring's own errors and {@code ErrorResponse}s are
 * mapped by the base class; anything else becomes a bare 500 so that nothing internal reaches a body.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		log.error("Unexpected error serving a request", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The request could not be completed.");
		problem.setTitle("Internal error");
		problem.setType(URI.create("about:blank"));
		return problem;
	}


	/**
	 * Spring's own answers (405, 415, a bad path variable …) leave {@code type} out when it is about:blank: every
	 * answer of this service names it, so that a client can rely on all four of type, title, status and detail.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, @Nullable Object body,
			@Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return super.handleExceptionInternal(ex, body, headers, status, exchange).map((entity) -> {
			if (entity.getBody() instanceof ProblemDetail problem && problem.getType() == null) {
				problem.setType(URI.create("about:blank"));
			}
			return entity;
		});
	}

}
