package dev.seed.meetings.support.web;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.MediaType;

/** RFC 9457 problem details as every service writes them: type, title, status and detail always named. */
public final class Problems {

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	private Problems() {
	}

	/** A problem with the given title; {@code type} is about:blank. */
	public static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setType(ABOUT_BLANK);
		return problem;
	}

	/** A problem titled with the status's reason phrase ("Service Unavailable"). */
	public static ProblemDetail problem(HttpStatusCode status, String detail) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return problem(status, (known != null) ? known.getReasonPhrase() : "Error", detail);
	}

	/** {@code problem} as an answer of its status, {@code application/problem+json}. */
	public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** Names {@code type} where Spring left it out because it is about:blank. */
	static void nameType(Object body) {
		if (body instanceof ProblemDetail problem && problem.getType() == null) {
			problem.setType(ABOUT_BLANK);
		}
	}

}
