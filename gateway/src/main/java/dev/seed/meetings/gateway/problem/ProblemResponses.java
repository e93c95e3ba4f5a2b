package dev.seed.meetings.gateway.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes RFC 9457 problem details for the answers the gateway gives itself (401, 413, 429, 5xx),
 * so that a client sees the same error shape whether a service or the gateway refused it.
 */
@Component
public class ProblemResponses {

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	public Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String detail) {
		return write(exchange.getResponse(), exchange.getRequest().getPath().value(), status, detail);
	}

	Mono<Void> write(ServerHttpResponse response, String instance, HttpStatusCode status, String detail) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		HttpStatus known = HttpStatus.resolve(status.value());
		problem.put("title", (known != null) ? known.getReasonPhrase() : "Error");
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", instance);
		byte[] body = this.json.writeValueAsBytes(problem);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
