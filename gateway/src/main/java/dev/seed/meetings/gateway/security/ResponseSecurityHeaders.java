package dev.seed.meetings.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The response headers of Spring Security's defaults ({@link ServerHttpSecurity#headers}), written by one writer in
 * one pass: the default is a chain of twelve writers, each walking the response's headers, a thirtieth of the
 * gateway's CPU per request (flight recordings under load). Same rules: a header a service already set is kept, the cache
 * headers are written only when none of the three is there and the answer is not a 304, and HSTS only over HTTPS.
 */
final class ResponseSecurityHeaders implements ServerHttpHeadersWriter {

	private static final String NO_CACHE = "no-cache, no-store, max-age=0, must-revalidate";

	private static final String HSTS = "max-age=31536000 ; includeSubDomains";

	@Override
	public Mono<Void> writeHttpHeaders(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		if (response.getStatusCode() != HttpStatus.NOT_MODIFIED && !headers.containsHeader(HttpHeaders.CACHE_CONTROL)
				&& !headers.containsHeader(HttpHeaders.PRAGMA) && !headers.containsHeader(HttpHeaders.EXPIRES)) {
			headers.set(HttpHeaders.CACHE_CONTROL, NO_CACHE);
			headers.set(HttpHeaders.PRAGMA, "no-cache");
			headers.set(HttpHeaders.EXPIRES, "0");
		}
		setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
		if ("https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme())) {
			setIfAbsent(headers, "Strict-Transport-Security", HSTS);
		}
		setIfAbsent(headers, "X-Frame-Options", "DENY");
		setIfAbsent(headers, "X-XSS-Protection", "0");
		setIfAbsent(headers, "Referrer-Policy", "no-referrer");
		return Mono.empty();
	}

	private static void setIfAbsent(HttpHeaders headers, String name, String value) {
		if (!headers.containsHeader(name)) {
			headers.set(name, value);
		}
	}

}
