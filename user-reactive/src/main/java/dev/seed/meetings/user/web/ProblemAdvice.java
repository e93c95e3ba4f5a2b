package dev.seed.meetings.user.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place where failures become RFC 9457 problem details. Feature exceptions are
 * {@link org.springframework.web.ErrorResponseException}s and pass through the base class;
 * what is added here is the list of invalid fields, 503 for an unreachable database, and a
 * body-less 500 for anything unforeseen, so that no stack trace or SQL ever reaches a client. Its log lines carry the
 * request's trace id and request id, put on the thread from the Reactor context for the line alone.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

	private static final String RETRY_AFTER_SECONDS = "5";

	/** What each field of {@code POST /api/users} should be, in the words an error answer gives the caller. */
	private static final Map<String, String> EXPECTED = Map.of("userId",
			"1 to 64 letters, digits, '.', '_' or '-', e.g. \"u-1001\"", "name",
			"text of 1 to 200 characters without control characters, e.g. \"Ann Lee\"", "email",
			"an email address of at most 254 characters, e.g. \"ann.lee@example.com\"", "timezone",
			"an IANA time zone id, e.g. \"Asia/Tokyo\"");

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Map<String, String>> errors = ex.getFieldErrors()
			.stream()
			.sorted(Comparator.comparing(FieldError::getField))
			.map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()),
					"expected", EXPECTED.getOrDefault(error.getField(), "see the API documentation")))
			.toList();
		List<String> fields = errors.stream().map(error -> error.get("field")).distinct().toList();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Invalid fields: " + String.join(", ", fields));
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			TimeoutException.class })
	Mono<ResponseEntity<ProblemDetail>> databaseUnavailable(Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"User directory temporarily unavailable");
		problem.setType(URI.create("about:blank"));
		return logged(() -> log.warn("Database unavailable: {}", ex.toString()))
			.thenReturn(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
				.body(problem));
	}

	@ExceptionHandler(Exception.class)
	Mono<ResponseEntity<ProblemDetail>> unexpected(Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error");
		problem.setType(URI.create("about:blank"));
		return logged(() -> log.error("Unexpected failure", ex))
			.thenReturn(ResponseEntity.internalServerError().body(problem));
	}

	/** Runs {@code line} with the request's context (trace, request id) on this thread; completes empty. */
	private static Mono<Void> logged(Runnable line) {
		return Mono.deferContextual((context) -> {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				line.run();
			}
			return Mono.empty();
		});
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
