package dev.seed.meetings.notifier.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.seed.meetings.support.ServiceProperties;
import dev.seed.meetings.support.web.ProblemAdviceSupport;

/**
 * Every error of the HTTP API as RFC 9457 problem details. Spring's own errors and {@code ErrorResponse}s are
 * mapped by the shared base, anything else becomes a bare 500 so that nothing internal reaches a body; the notifier
 * has no exceptions of its own to add.
 */
@RestControllerAdvice
class ProblemAdvice extends ProblemAdviceSupport {

	ProblemAdvice(ServiceProperties service) {
		super(service);
	}

}
