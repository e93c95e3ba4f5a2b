package dev.seed.meetings.meeting.booking;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A query parameter of the stream or the listing that cannot be used: a 400 problem naming the parameter.
 */
public class InvalidQueryException extends ErrorResponseException {

	public InvalidQueryException(String parameter, String message) {
		super(HttpStatus.BAD_REQUEST, problem(parameter, message), null);
		// whatever the client accepts (an event stream, JSON lines), an error is a problem document
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static ProblemDetail problem(String parameter, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Query parameter '" + parameter + "' " + message + ".");
		problem.setTitle("Invalid query");
		problem.setType(URI.create("about:blank"));
		problem.setProperty("errors", List.of(Map.of("field", parameter, "message", message)));
		return problem;
	}

}
