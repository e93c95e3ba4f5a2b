package dev.seed.meetings.meeting.invitation;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;

import dev.seed.meetings.support.web.Problems;

/**
 * An answer to the invitation of a meeting its organizer cancelled: 409, nothing recorded.
 */
class InvitationCancelledException extends ErrorResponseException {

	InvitationCancelledException() {
		super(HttpStatus.CONFLICT, Problems.problem(HttpStatus.CONFLICT, "Meeting cancelled",
				"The meeting was cancelled; its invitation can no longer be answered."), null);
		getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
