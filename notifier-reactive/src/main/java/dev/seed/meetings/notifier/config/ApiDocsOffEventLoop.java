package dev.seed.meetings.notifier.config;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * springdoc builds the OpenAPI document on its first request, scanning class files on the
 * calling thread; that read must not happen on a Netty event loop. The document is cached
 * afterwards, so moving this one path to the bounded elastic scheduler costs nothing else.
 */
@Component
class ApiDocsOffEventLoop implements WebFilter {

	private static final String API_DOCS = "/v3/api-docs";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(API_DOCS)) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange).subscribeOn(Schedulers.boundedElastic());
	}

}
