package dev.seed.meetings.gateway.docs;

import java.util.List;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The Swagger UI's files are read from a jar, and the webjar version lookup reads a jar too:
 * file reads that must not happen on a Netty event loop. These few paths are served on the
 * bounded elastic scheduler instead; the API routes are not touched.
 */
@Component
class ApiDocsOffEventLoop implements WebFilter {

	private static final List<String> PREFIXES = List.of("/swagger-ui", "/webjars/swagger-ui/",
			"/v3/api-docs/swagger-config");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (PREFIXES.stream().noneMatch(path::startsWith)) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange).subscribeOn(Schedulers.boundedElastic());
	}

}
