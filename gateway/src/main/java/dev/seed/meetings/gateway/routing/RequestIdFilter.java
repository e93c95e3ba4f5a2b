package dev.seed.meetings.gateway.routing;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
 * Gives every request an {@code X-Request-Id}, on the way to the service ({@link ServiceHeaders}) and on the answer,
 * including answers the gateway gives itself (401, 429, ...). A client's own id is kept when it
 * looks like an id, so that a caller can follow its request through the logs; anything else is
 * replaced rather than forwarded. The id is also the {@code requestId} of the logs' MDC: it travels
 * in the Reactor context, from which a line logged on the request's path restores it (with the trace context).
 */
@Component
class RequestIdFilter implements WebFilter, Ordered {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "requestId";

	/** The exchange attribute {@link ServiceHeaders} forwards. */
	static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	RequestIdFilter() {
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
		String requestId = (given != null && VALID.matcher(given).matches()) ? given : newId();
		exchange.getResponse().getHeaders().set(HEADER, requestId);
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
