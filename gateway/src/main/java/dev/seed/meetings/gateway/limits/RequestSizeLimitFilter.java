package dev.seed.meetings.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.problem.ProblemResponses;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses bodies larger than {@code gateway.max-request-bytes} with 413. A declared
 * Content-Length is checked up front; a chunked body is counted as it streams, since a client
 * need not declare its size.
 */
@Component
class RequestSizeLimitFilter implements WebFilter, Ordered {

	private final long maxBytes;

	private final ProblemResponses problems;

	RequestSizeLimitFilter(GatewayProperties properties, ProblemResponses problems) {
		this.maxBytes = properties.maxRequestBytes().toBytes();
		this.problems = problems;
	}

	/** After authentication: an anonymous caller learns nothing but 401. */
	@Override
	public int getOrder() {
		return -50;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long declared = exchange.getRequest().getHeaders().getContentLength();
		if (declared > this.maxBytes) {
			return this.problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, tooLarge());
		}
		if (declared >= 0) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(new CountedBody(exchange.getRequest())).build());
	}

	private String tooLarge() {
		return "The request body exceeds " + this.maxBytes + " bytes";
	}

	private final class CountedBody extends ServerHttpRequestDecorator {

		CountedBody(ServerHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public Flux<DataBuffer> getBody() {
			AtomicLong seen = new AtomicLong();
			return super.getBody().handle((buffer, sink) -> {
				if (seen.addAndGet(buffer.readableByteCount()) > RequestSizeLimitFilter.this.maxBytes) {
					DataBufferUtils.release(buffer);
					sink.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, tooLarge()));
				}
				else {
					sink.next(buffer);
				}
			});
		}

	}

}
