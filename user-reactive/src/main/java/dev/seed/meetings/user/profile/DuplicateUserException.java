package dev.seed.meetings.user.profile;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class DuplicateUserException extends ErrorResponseException {

	DuplicateUserException(String field, Throwable cause) {
		super(HttpStatus.CONFLICT, problem(field), cause);
	}

	private static ProblemDetail problem(String field) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"A user with this " + field + " already exists");
		problem.setTitle("User already exists");
		problem.setProperty("field", field);
		return problem;
	}

}
