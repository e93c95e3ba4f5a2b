package dev.seed.meetings.meeting.web;

import java.util.List;
import java.util.Map;

import io.r2dbc.spi.R2dbcException;
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
import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.web.ProblemAdviceSupport;

import static dev.seed.meetings.support.web.Problems.problem;
import static dev.seed.meetings.support.web.Problems.respond;

/**
 * Every error of the service as RFC 9457 problem details; no stack trace, SQL or internal message leaves it. The
 * shared base answers Spring's own errors and the unforeseen, and sets {@code Retry-After} on every 503.
 */
@RestControllerAdvice
class ProblemAdvice extends ProblemAdviceSupport {

	ProblemAdvice(ServiceProperties service) {
		super(service);
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
		return warn("Refused a request naming its caller without the gateway's token")
			.thenReturn(respond(problem(HttpStatus.FORBIDDEN, "Untrusted caller", ex.getMessage())));
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> directoryUnavailable(UserDirectoryUnavailableException ex) {
		return unavailable("The user directory is unavailable; nothing was booked.",
				"User directory unavailable: " + ex.getCause());
	}

	@ExceptionHandler
	Mono<ResponseEntity<ProblemDetail>> bookingTimedOut(BookingTimeoutException ex) {
		// the meeting may have been committed just before the bound: only the key makes a retry safe
		return unavailable("The booking took too long and was abandoned; it may or may not have been "
				+ "booked. Retry with the same Idempotency-Key: it books the meeting at most once and gives back "
				+ "the first booking if there was one.", ex.getMessage());
	}

	// a connection that cannot be opened fails the transaction before any statement runs
	@ExceptionHandler({ DataAccessException.class, R2dbcException.class, CannotCreateTransactionException.class })
	Mono<ResponseEntity<ProblemDetail>> storageUnavailable(Exception ex) {
		return unavailable("The meeting store is unavailable; nothing was booked.", "Database unavailable: " + ex);
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

}
