package dev.seed.meetings.gateway.problem;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Some of Spring Cloud Gateway's own filters refuse a request by setting a status and
 * completing the response without a body; the rate limiter's 429 is the one that matters.
 * This gives such answers a problem+json body, and 429 a {@code Retry-After}.
 */
@Component
class EmptyErrorBodyFilter implements WebFilter, Ordered {

	/** The token bucket refills at least one token per second. */
	static final String RATE_LIMIT_RETRY_AFTER_SECONDS = "1";

	private final ProblemResponses problems;

	EmptyErrorBodyFilter(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		return chain.filter(exchange.mutate().response(new ProblemOnEmptyError(exchange.getResponse(), path)).build());
	}

	private final class ProblemOnEmptyError extends ServerHttpResponseDecorator {

		private final String path;

		ProblemOnEmptyError(ServerHttpResponse delegate, String path) {
			super(delegate);
			this.path = path;
		}

		@Override
		public Mono<Void> setComplete() {
			HttpStatusCode status = getStatusCode();
			if (status == null || !status.isError() || isCommitted()) {
				return super.setComplete();
			}
			if (status.value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
				getHeaders().set(HttpHeaders.RETRY_AFTER, RATE_LIMIT_RETRY_AFTER_SECONDS);
				return EmptyErrorBodyFilter.this.problems.write(getDelegate(), this.path, status,
						"Too many requests for this user; retry later");
			}
			return EmptyErrorBodyFilter.this.problems.write(getDelegate(), this.path, status,
					"The request was refused");
		}

	}

}
