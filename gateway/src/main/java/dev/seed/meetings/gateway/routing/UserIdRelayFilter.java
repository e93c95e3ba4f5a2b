package dev.seed.meetings.gateway.routing;

import java.security.Principal;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The services trust {@code X-User-Id} as the caller's identity, so the gateway alone sets it:
 * whatever a client sent is dropped and replaced by the verified token's subject.
 */
@Component
class UserIdRelayFilter implements GlobalFilter, Ordered {

	static final String HEADER = "X-User-Id";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return exchange.getPrincipal()
			.map(Principal::getName)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(subject -> chain.filter(exchange.mutate()
				.request(request -> request.headers(headers -> {
					headers.remove(HEADER);
					subject.ifPresent(userId -> headers.set(HEADER, userId));
				}))
				.build()));
	}

}
