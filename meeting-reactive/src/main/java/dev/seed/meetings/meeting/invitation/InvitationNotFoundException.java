package dev.seed.meetings.meeting.invitation;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A token that is not ours, or whose meeting or attendee no longer exists: 404, the same for all, so that the answer
 * tells a guesser nothing.
 */
class InvitationNotFoundException extends ErrorResponseException {

	InvitationNotFoundException() {
		super(HttpStatus.NOT_FOUND, problem(), null);
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No invitation answers to this link.");
		problem.setTitle("Invitation not found");
		problem.setType(URI.create("about:blank"));
		return problem;
	}

}
