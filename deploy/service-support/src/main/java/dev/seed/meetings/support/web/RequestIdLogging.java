package dev.seed.meetings.support.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.seed.meetings.support.context.RequestContext;

/**
 * Puts the request's {@code X-Request-Id} into the MDC as {@code requestId}, so that every log line written while
 * serving a request names it. The id travels in the Reactor context, from which {@link RequestContext} restores it
 * where a line is logged; an id that does not look like one is left out rather than written into the logs. Where
 * {@code service.issue-request-ids} is on (the gateway), a request without a usable id gets a new one, and the
 * answer names it whoever gives it, so that a caller can follow its request through the logs.
 */
public class RequestIdLogging implements WebFilter, Ordered {

	public static final String HEADER = "X-Request-Id";

	public static final String MDC_KEY = "requestId";

	/** The exchange attribute that holds the request's id, for whatever forwards it. */
	public static final String ATTRIBUTE = RequestIdLogging.class.getName() + ".requestId";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final boolean issue;

	public RequestIdLogging(boolean issue) {
		this.issue = issue;
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
		String given = exchange.getRequest().getHeaders().getFirst(HEADER);
		boolean usable = given != null && VALID.matcher(given).matches();
		if (!usable && !this.issue) {
			return chain.filter(exchange);
		}
		String requestId = usable ? given : newId();
		if (this.issue) {
			exchange.getResponse().getHeaders().set(HEADER, requestId);
		}
		exchange.getAttributes().put(ATTRIBUTE, requestId);
		return chain.filter(exchange).contextWrite(Context.of(MDC_KEY, requestId));
	}

	/** Not SecureRandom: an id needs to be unique, not secret, and must not block a Netty thread. */
	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

}
