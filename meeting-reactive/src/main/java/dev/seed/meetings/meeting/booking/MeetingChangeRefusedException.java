package dev.seed.meetings.meeting.booking;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A change or cancellation the meeting's state or the caller does not allow; rendered as problem details by the
 * framework's own handling of {@link ErrorResponseException}.
 */
public final class MeetingChangeRefusedException extends ErrorResponseException {

	private MeetingChangeRefusedException(HttpStatus status, String title, String detail) {
		super(status, problem(status, title, detail), null);
	}

	static MeetingChangeRefusedException preconditionRequired() {
		return new MeetingChangeRefusedException(HttpStatus.PRECONDITION_REQUIRED, "If-Match required",
				"Send If-Match with the ETag of the meeting as you last read it.");
	}

	/** 412 with the version the meeting is at, in the body and as its ETag. */
	static MeetingChangeRefusedException stale(int currentVersion) {
		MeetingChangeRefusedException ex = new MeetingChangeRefusedException(HttpStatus.PRECONDITION_FAILED,
				"Meeting changed", "The meeting was changed since that version; read it again and reapply.");
		ex.getBody().setProperty("currentVersion", currentVersion);
		ex.getHeaders().setETag(MeetingChanges.etag(currentVersion));
		return ex;
	}

	static MeetingChangeRefusedException notOrganizer() {
		return new MeetingChangeRefusedException(HttpStatus.FORBIDDEN, "Not the organizer",
				"Only the organizer can change or cancel this meeting.");
	}

	static MeetingChangeRefusedException cancelled() {
		return new MeetingChangeRefusedException(HttpStatus.CONFLICT, "Meeting cancelled",
				"The meeting was cancelled; it can no longer be changed.");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
