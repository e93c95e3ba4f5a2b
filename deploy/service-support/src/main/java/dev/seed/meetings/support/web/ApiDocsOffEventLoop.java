package dev.seed.meetings.support.web;

import java.util.List;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * springdoc builds the OpenAPI document on its first request, scanning class files on the calling thread, and the
 * Swagger UI's files and the webjar version lookup are read from jars: file reads that must not happen on a Netty
 * event loop. These few paths are served on the bounded elastic scheduler instead; the document is cached after its
 * first request, and the API's own paths are not touched.
 */
public class ApiDocsOffEventLoop implements WebFilter {

	private static final List<String> PREFIXES = List.of("/v3/api-docs", "/swagger-ui", "/webjars/swagger-ui/");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!isApiDocs(path)) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange).subscribeOn(Schedulers.boundedElastic());
	}

	/** A plain loop: this runs for every request, and a stream would be one more allocation on each. */
	private static boolean isApiDocs(String path) {
		for (String prefix : PREFIXES) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
