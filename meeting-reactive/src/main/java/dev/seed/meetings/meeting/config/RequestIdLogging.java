package dev.seed.meetings.meeting.config;

import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the gateway's {@code X-Request-Id} into the MDC as {@code requestId}, so that every log
 * line written while serving a request names it. The id travels in the Reactor context, from which
 * {@link RequestContext} restores it where a line is logged; an id that does not look like one is
 * left out rather than written into the logs.
 */
@Component
class RequestIdLogging implements WebFilter, Ordered {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "requestId";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	RequestIdLogging() {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(MDC_KEY, () -> MDC.get(MDC_KEY), value -> MDC.put(MDC_KEY, value),
					() -> MDC.remove(MDC_KEY));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String requestId = exchange.getRequest().getHeaders().getFirst(HEADER);
		if (requestId == null || !VALID.matcher(requestId).matches()) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange).contextWrite(Context.of(MDC_KEY, requestId));
	}

}
