package dev.seed.meetings.support.web;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/** The request id that reaches the logs, in a service (logs the gateway's) and in the gateway (issues one). */
class RequestIdLoggingTests {

	/** A service takes the gateway's id into the Reactor context and answers without one of its own. */
	@Test
	void aServiceLogsTheIdItIsGiven() {
		MockServerWebExchange exchange = exchange("req-42");
		AtomicReference<String> logged = new AtomicReference<>();

		filter(new RequestIdLogging(false), exchange, logged).as(StepVerifier::create).verifyComplete();

		assertThat(logged).hasValue("req-42");
		assertThat(exchange.getResponse().getHeaders().getFirst(RequestIdLogging.HEADER)).isNull();
	}

	/** An id that does not look like one never reaches the logs of a service. */
	@Test
	void aServiceLeavesOutAnIdThatIsNoId() {
		AtomicReference<String> logged = new AtomicReference<>("unset");

		filter(new RequestIdLogging(false), exchange("a b\nforged line"), logged).as(StepVerifier::create)
			.verifyComplete();

		assertThat(logged).hasValue(null);
	}

	/** The gateway replaces a missing or unusable id with a new one, logs it, forwards it and answers with it. */
	@Test
	void theGatewayIssuesAnIdWhereThereIsNone() {
		MockServerWebExchange exchange = exchange(null);
		AtomicReference<String> logged = new AtomicReference<>();

		filter(new RequestIdLogging(true), exchange, logged).as(StepVerifier::create).verifyComplete();

		assertThat(logged.get()).matches("[0-9a-f-]{36}");
		assertThat(exchange.getResponse().getHeaders().getFirst(RequestIdLogging.HEADER)).isEqualTo(logged.get());
		assertThat((String) exchange.getAttribute(RequestIdLogging.ATTRIBUTE)).isEqualTo(logged.get());
	}

	private static MockServerWebExchange exchange(String requestId) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/anything");
		if (requestId != null) {
			request.header(RequestIdLogging.HEADER, requestId);
		}
		return MockServerWebExchange.from(request);
	}

	/** Runs the filter with a chain that records the request id of the Reactor context it sees. */
	private static Mono<Void> filter(RequestIdLogging filter, MockServerWebExchange exchange,
			AtomicReference<String> logged) {
		WebFilterChain chain = (served) -> Mono.deferContextual((context) -> {
			logged.set(context.getOrDefault(RequestIdLogging.MDC_KEY, null));
			return Mono.empty();
		});
		return filter.filter(exchange, chain);
	}

}
