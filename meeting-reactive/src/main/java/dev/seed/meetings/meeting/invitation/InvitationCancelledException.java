package dev.seed.meetings.meeting.invitation;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An answer to the invitation of a meeting its organizer cancelled: 409, nothing recorded.
 */
class InvitationCancelledException extends ErrorResponseException {

	InvitationCancelledException() {
		super(HttpStatus.CONFLICT, problem(), null);
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The meeting was cancelled; its invitation can no longer be answered.");
		problem.setTitle("Meeting cancelled");
		problem.setType(URI.create("about:blank"));
		return problem;
	}

}
