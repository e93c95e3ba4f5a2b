package dev.seed.meetings.meeting.invitation;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;

import dev.seed.meetings.support.web.Problems;

/**
 * A token that is not ours, or whose meeting or attendee no longer exists: 404, the same for all, so that the answer
 * tells a guesser nothing.
 */
class InvitationNotFoundException extends ErrorResponseException {

	InvitationNotFoundException() {
		super(HttpStatus.NOT_FOUND, Problems.problem(HttpStatus.NOT_FOUND, "Invitation not found",
				"No invitation answers to this link."), null);
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
