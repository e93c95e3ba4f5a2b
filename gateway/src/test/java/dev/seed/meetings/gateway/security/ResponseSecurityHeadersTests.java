package dev.seed.meetings.gateway.security;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.header.CacheControlServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.StrictTransportSecurityServerHttpHeadersWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of Spring Security's writers that the integration tests cannot reach: HTTPS and 304. */
class ResponseSecurityHeadersTests {

	@Test
	void hstsOnlyOverHttpsAsSpringWritesIt() {
		MockServerWebExchange https = MockServerWebExchange.from(MockServerHttpRequest.get("https://gateway.example/api/x"));
		MockServerWebExchange springHttps = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://gateway.example/api/x"));
		MockServerWebExchange http = MockServerWebExchange.from(MockServerHttpRequest.get("http://gateway.example/api/x"));

		write(new ResponseSecurityHeaders(), https);
		write(new StrictTransportSecurityServerHttpHeadersWriter(), springHttps);
		write(new ResponseSecurityHeaders(), http);

		assertThat(https.getResponse().getHeaders().getFirst("Strict-Transport-Security"))
			.isEqualTo(springHttps.getResponse().getHeaders().getFirst("Strict-Transport-Security"))
			.isNotBlank();
		assertThat(http.getResponse().getHeaders().containsHeader("Strict-Transport-Security")).isFalse();
	}

	@Test
	void noCacheHeadersOnANotModifiedAnswerAsSpringWritesThem() {
		MockServerWebExchange ours = notModified();
		MockServerWebExchange spring = notModified();

		write(new ResponseSecurityHeaders(), ours);
		write(new CacheControlServerHttpHeadersWriter(), spring);

		HttpHeaders headers = ours.getResponse().getHeaders();
		assertThat(headers.containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
		assertThat(headers.containsHeader(HttpHeaders.PRAGMA)).isFalse();
		assertThat(spring.getResponse().getHeaders().containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
		assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
	}

	@Test
	void cacheHeadersAreThoseOfSpring() {
		MockServerWebExchange ours = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		MockServerWebExchange spring = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));

		write(new ResponseSecurityHeaders(), ours);
		write(new CacheControlServerHttpHeadersWriter(), spring);

		for (String name : new String[] { HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES }) {
			assertThat(ours.getResponse().getHeaders().get(name)).as(name)
				.isEqualTo(spring.getResponse().getHeaders().get(name))
				.isNotEmpty();
		}
	}

	private static MockServerWebExchange notModified() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		exchange.getResponse().setStatusCode(HttpStatus.NOT_MODIFIED);
		return exchange;
	}

	private static void write(ServerHttpHeadersWriter writer, MockServerWebExchange exchange) {
		writer.writeHttpHeaders(exchange).block();
	}

}
