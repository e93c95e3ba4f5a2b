package dev.seed.meetings.meeting.invitation;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.seed.meetings.support.web.Problems;

/**
 * An answer that is none of {@code accepted}, {@code tentative}, {@code declined}: 400 naming the field.
 */
class InvalidResponseException extends ErrorResponseException {

	private static final String MESSAGE = "must be one of accepted, tentative, declined";

	InvalidResponseException() {
		super(HttpStatus.BAD_REQUEST, problem(), null);
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "Invalid response",
				"'response' " + MESSAGE + ".");
		problem.setProperty("errors", List.of(Map.of("field", "response", "message", MESSAGE)));
		return problem;
	}

}
