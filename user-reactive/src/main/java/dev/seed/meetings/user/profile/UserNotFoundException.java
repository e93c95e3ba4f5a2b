package dev.seed.meetings.user.profile;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class UserNotFoundException extends ErrorResponseException {

	UserNotFoundException(String userId) {
		super(HttpStatus.NOT_FOUND, problem(userId), null);
	}

	private static ProblemDetail problem(String userId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No user " + userId);
		problem.setTitle("User not found");
		problem.setProperty("userId", userId);
		return problem;
	}

}
