package dev.seed.meetings.gateway.problem;

import java.net.URI;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.support.web.Problems;

/**
 * Writes RFC 9457 problem details for the answers the gateway gives itself (401, 413, 429, 5xx),
 * so that a client sees the same error shape whether a service or the gateway refused it: Spring's
 * {@link ProblemDetail}, titled with the status's reason phrase, as every service builds it ({@link Problems}).
 */
@Component
public class ProblemResponses {

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		// as Spring's own codecs write it: the extension members beside the standard ones, empty ones left out
		this.json = json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String detail) {
		return write(exchange.getResponse(), exchange.getRequest().getPath().value(), status, detail);
	}

	Mono<Void> write(ServerHttpResponse response, String instance, HttpStatusCode status, String detail) {
		ProblemDetail problem = Problems.problem(status, detail);
		try {
			problem.setInstance(URI.create(instance));
		}
		catch (IllegalArgumentException ex) {
			// a path that is no URI reference is left out rather than answered with a 500
		}
		byte[] body = this.json.writeValueAsBytes(problem);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
