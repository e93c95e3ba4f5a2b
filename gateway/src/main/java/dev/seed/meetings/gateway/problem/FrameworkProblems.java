package dev.seed.meetings.gateway.problem;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.seed.meetings.support.web.FrameworkProblemAdvice;

/**
 * The answers Spring gives itself for the gateway's own endpoints and for a body that fails while it streams (405
 * with {@code Allow}, 413, 415 …), as problem+json like every other answer of the gateway: in place of Boot's
 * handler, which leaves {@code type} out when it is about:blank. The shared base of every service's advice, without
 * their catch-all, which would take the routing failures from {@link ProblemErrorHandler}.
 */
@RestControllerAdvice
class FrameworkProblems extends FrameworkProblemAdvice {

}
