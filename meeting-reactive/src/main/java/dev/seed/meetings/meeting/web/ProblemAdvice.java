package dev.seed.meetings.meeting.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.R2dbcException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import dev.seed.meetings.meeting.attendee.UnknownAttendeesException;
import dev.seed.meetings.meeting.attendee.UserDirectoryUnavailableException;
import dev.seed.meetings.meeting.booking.BookingTimeoutException;
import dev.seed.meetings.meeting.booking.IdempotencyException;
import dev.seed.meetings.meeting.booking.InvalidMeetingException;
import dev.seed.meetings.meeting.booking.InvalidMeetingIdException;
import dev.seed.meetings.meeting.booking.MeetingNotFoundException;
import dev.seed.meetings.meeting.booking.UntrustedCallerException;
import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.meeting.config.RequestContext;

/**
 * Every error of the service as RFC 9457 problem details; no stack trace, SQL or internal message leaves it.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

	private final String retryAfterSeconds;

	ProblemAdvice(MeetingProperties properties) {
		this.retryAfterSeconds = Long.toString(Math.max(1, properties.userService().retryAfter().toSeconds()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidMeeting(InvalidMeetingException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid meeting",
				"The request breaks " + ex.errors().size() + " rule(s); see errors.");
		problem.setProperty("errors", ex.errors());
		if (!ex.duplicateAttendees().isEmpty()) {
			problem.setProperty("duplicateAttendees", ex.duplicateAttendees());
		}
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidMeetingId(InvalidMeetingIdException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid meeting id", ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", "meetingId", "message", "must be a UUID", "expected",
				"the meetingId that booking it answered, e.g. 01a24b78-213c-786c-a352-924c7c62d325")));
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownAttendees(UnknownAttendeesException ex) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown attendees",
				ex.userIds().size() + " attendee id(s) are not known users.");
		problem.setProperty("unknownAttendees", ex.userIds());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> idempotency(IdempotencyException ex) {
		return respond(ex.inFlight() ? problem(HttpStatus.CONFLICT, "Request in flight", ex.getMessage())
				: problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(MeetingNotFoundException ex) {
		return respond(problem(HttpStatus.NOT_FOUND, "Meeting not found", ex.getMessage()));
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> untrustedCaller(UntrustedCallerException ex) {
		return RequestContext.log(() -> log.warn("Refused a request naming its caller without the gateway's token"))
			.thenReturn(respond(problem(HttpStatus.FORBIDDEN, "Untrusted caller", ex.getMessage())));
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> directoryUnavailable(UserDirectoryUnavailableException ex) {
		return RequestContext.log(() -> log.warn("User directory unavailable: {}", String.valueOf(ex.getCause())))
			.thenReturn(unavailable("The user directory is unavailable; nothing was booked."));
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> bookingTimedOut(BookingTimeoutException ex) {
		// the meeting may have been committed just before the bound: only the key makes a retry safe
		return RequestContext.log(() -> log.warn("{}", ex.getMessage()))
			.thenReturn(unavailable("The booking took too long and was abandoned; it may or may not have been "
					+ "booked. Retry with the same Idempotency-Key: it books the meeting at most once and gives back "
					+ "the first booking if there was one."));
	}

	// a connection that cannot be opened fails the transaction before any statement runs
	@ExceptionHandler({ DataAccessException.class, R2dbcException.class, CannotCreateTransactionException.class })
	Mono<ResponseEntity<ProblemDetail>> storageUnavailable(Exception ex) {
		return RequestContext.log(() -> log.warn("Database unavailable: {}", ex.toString()))
			.thenReturn(unavailable("The meeting store is unavailable; nothing was booked."));
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> unexpected(Exception ex) {
		return RequestContext.log(() -> log.error("Unexpected failure", ex))
			.thenReturn(respond(
					problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "Something went wrong on our side.")));
	}

	/**
	 * Unreadable bodies. A meeting whose fields cannot all be read (a time without an offset) is answered like any
	 * invalid meeting, every broken rule at once; a body that is not JSON at all, or an unreadable field of another
	 * body, is named as far as Jackson knows it.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidMeetingException invalid) {
				return Mono.just(ResponseEntity.badRequest()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.body(invalidMeeting(invalid).getBody()));
			}
		}
		String field = fieldOf(ex);
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request", (field != null)
				? "The value of '" + field + "' cannot be read."
				: "The request body cannot be read: it must be a JSON object, e.g. {\"title\":\"Design review\", …}.");
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", "cannot be read")));
		}
		return Mono.just(ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem));
	}

	private ResponseEntity<ProblemDetail> unavailable(String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail));
	}

	private static String fieldOf(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
				StringBuilder path = new StringBuilder();
				for (JacksonException.Reference reference : jackson.getPath()) {
					if (reference.getPropertyName() != null) {
						path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
					}
					else if (reference.getIndex() >= 0) {
						path.append('[').append(reference.getIndex()).append(']');
					}
				}
				return path.isEmpty() ? null : path.toString();
			}
		}
		return null;
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(URI.create("about:blank"));
		return problem;
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
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
