package dev.seed.meetings.user.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;

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
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.web.ProblemAdviceSupport;
import dev.seed.meetings.support.web.Problems;

/**
 * The service's problem details (RFC 9457); the shared base answers Spring's own errors, the unforeseen (a body-less
 * 500) and sets {@code Retry-After} on a 503. Added here: the list of invalid fields with what each expects, and 503
 * for an unreachable database.
 */
@RestControllerAdvice
class ProblemAdvice extends ProblemAdviceSupport {

	/** What each field of {@code POST /api/users} should be, in the words an error answer gives the caller. */
	private static final Map<String, String> EXPECTED = Map.of("userId",
			"1 to 64 letters, digits, '.', '_' or '-', e.g. \"u-1001\"", "name",
			"text of 1 to 200 characters without control characters, e.g. \"Ann Lee\"", "email",
			"an email address of at most 254 characters, e.g. \"ann.lee@example.com\"", "timezone",
			"an IANA time zone id, e.g. \"Asia/Tokyo\"");

	ProblemAdvice(ServiceProperties service) {
		super(service);
	}

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
		ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "Invalid request",
				"Invalid fields: " + String.join(", ", fields));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			TimeoutException.class })
	Mono<ResponseEntity<ProblemDetail>> databaseUnavailable(Exception ex) {
		return unavailable("User directory temporarily unavailable", "Database unavailable: " + ex);
	}

}
