package dev.seed.meetings.support.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;

import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.context.RequestContext;

/**
 * The base of each service's one {@code @RestControllerAdvice}: every error as RFC 9457 problem details. Spring's
 * own errors and {@code ErrorResponse}s are mapped by {@link FrameworkProblemAdvice}, with {@code type} named;
 * anything unforeseen becomes a bare 500, so that no stack trace or SQL reaches a body; a 503 carries {@code Retry-After} from
 * {@code service.retry-after}. A service adds the handlers of its own exceptions. Log lines carry the request's trace
 * id and request id, put on the thread for the line alone ({@link RequestContext}).
 */
public abstract class ProblemAdviceSupport extends FrameworkProblemAdvice {

	private final Logger log = LoggerFactory.getLogger(getClass());

	private final String retryAfterSeconds;

	protected ProblemAdviceSupport(ServiceProperties service) {
		this.retryAfterSeconds = service.retryAfterSeconds();
	}

	@ExceptionHandler
	public Mono<ResponseEntity<ProblemDetail>> unexpected(Exception ex) {
		// a client that went away before its answer (a load generator stopping, a closed tab) is no failure of ours:
		// nothing can be written to it, and an ERROR with a stack trace per connection would bury the real ones
		Runnable line = AbortedException.isConnectionReset(ex) || ex instanceof AbortedException
				? () -> this.log.debug("Client went away before its answer: {}", ex.toString())
				: () -> this.log.error("Unexpected failure", ex);
		return RequestContext.log(line)
			.thenReturn(Problems.respond(Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
					"Something went wrong on our side.")));
	}

	/** 503 with {@code Retry-After}, after logging {@code why} as a warning with the request's context. */
	protected Mono<ResponseEntity<ProblemDetail>> unavailable(String detail, String why) {
		return RequestContext.log(() -> this.log.warn("{}", why))
			.thenReturn(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail)));
	}

	/** Logs {@code line} as a warning with the request's context; completes empty. */
	protected Mono<Void> warn(String line) {
		return RequestContext.log(() -> this.log.warn("{}", line));
	}

}
