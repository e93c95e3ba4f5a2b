package dev.seed.meetings.support.web;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring's own answers (405 with {@code Allow}, 415, a bad path variable, a body that fails while it streams …) as
 * problem+json with {@code type} named: Spring leaves it out when it is about:blank, and every answer names it, so
 * that a client can rely on all four of type, title, status and detail. The gateway's advice is this alone (its
 * routing failures have a handler of their own); the services' add more ({@link ProblemAdviceSupport}).
 */
public abstract class FrameworkProblemAdvice extends ResponseEntityExceptionHandler {

	@Override
	protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, @Nullable Object body,
			@Nullable HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		return super.handleExceptionInternal(ex, body, headers, status, exchange).map((entity) -> {
			Problems.nameType(entity.getBody());
			return entity;
		});
	}

}
