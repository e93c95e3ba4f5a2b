package dev.seed.meetings.gateway.routing;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The services trust {@code X-User-Id} as the caller's identity, so the gateway alone sets it: this filter keeps the
 * verified token's subject for {@link ServiceHeaders}, which drops whatever a client sent and writes the subject
 * instead. The rate limiter's key is the same subject ({@link #userId}).
 */
@Component
public class UserIdRelayFilter implements GlobalFilter, Ordered {

	static final String HEADER = "X-User-Id";

	static final String ATTRIBUTE = UserIdRelayFilter.class.getName() + ".userId";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return exchange.getPrincipal()
			.doOnNext(principal -> exchange.getAttributes().put(ATTRIBUTE, principal.getName()))
			.then(Mono.defer(() -> chain.filter(exchange)));
	}

	/** The verified subject of a request this filter has seen; empty for an anonymous one. */
	public static Mono<String> userId(ServerWebExchange exchange) {
		return Mono.justOrEmpty(exchange.<String>getAttribute(ATTRIBUTE));
	}

}
