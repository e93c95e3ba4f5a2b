package dev.seed.meetings.gateway.routing;

import java.time.Duration;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.problem.ProblemResponses;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.support.web.RequestIdLogging;

/**
 * Only a meeting's participants (and operators) may read its invitations, which the notifier answers without knowing
 * who takes part: before {@code /api/meetings/{id}/invitations} goes on, meeting-reactive is asked for the meeting as
 * the caller ({@code GET /api/meetings/{id}} with the same {@code X-User-Id}, {@code X-User-Scopes} and
 * {@code X-Gateway-Token}). Its 404 (not there, or not theirs) is the caller's 404, and its 400 their 400; when it
 * cannot say, the caller gets 503 rather than the invitations.
 */
@Component
class ParticipantCheck {

	private static final Logger log = LoggerFactory.getLogger(ParticipantCheck.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WebClient meetings;

	private final ProblemResponses problems;

	private final String serviceToken;

	ParticipantCheck(GatewayProperties properties, ProblemResponses problems) {
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
			.responseTimeout(TIMEOUT);
		this.meetings = WebClient.builder()
			.baseUrl(properties.meetingServiceUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.build();
		this.problems = problems;
		this.serviceToken = StringUtils.hasText(properties.serviceToken()) ? properties.serviceToken() : null;
	}

	/** The filter of a route whose path is {@code /api/meetings/{id}/...}. */
	GatewayFilter filter() {
		return (exchange, chain) -> status(exchange).flatMap((status) -> {
			if (status.is2xxSuccessful()) {
				return chain.filter(exchange);
			}
			if (status.value() == HttpStatus.NOT_FOUND.value()) {
				return this.problems.write(exchange, HttpStatus.NOT_FOUND, "No meeting with this id.");
			}
			if (status.value() == HttpStatus.BAD_REQUEST.value()) {
				return this.problems.write(exchange, HttpStatus.BAD_REQUEST, "The meeting id must be a UUID.");
			}
			return this.problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
					"Cannot tell now whether you take part in this meeting; try again later.");
		});
	}

	private Mono<HttpStatusCode> status(ServerWebExchange exchange) {
		// /api/meetings/{id}/...: elements are separators and segments in turn
		PathContainer.Element segment = exchange.getRequest().getPath().pathWithinApplication().elements().get(5);
		String meetingId = ((PathContainer.PathSegment) segment).valueToMatch();
		String userId = exchange.getAttribute(UserIdRelayFilter.ATTRIBUTE);
		String scopes = exchange.getAttribute(UserIdRelayFilter.SCOPES_ATTRIBUTE);
		String requestId = exchange.getAttribute(RequestIdLogging.ATTRIBUTE);
		return this.meetings.get()
			.uri("/api/meetings/{id}", meetingId)
			.headers((headers) -> {
				if (userId != null) {
					headers.set(UserIdRelayFilter.HEADER, userId);
				}
				if (scopes != null) {
					headers.set(UserIdRelayFilter.SCOPES_HEADER, scopes);
				}
				if (this.serviceToken != null) {
					headers.set(ServiceHeaders.GATEWAY_TOKEN, this.serviceToken);
				}
				if (requestId != null) {
					headers.set(RequestIdLogging.HEADER, requestId);
				}
			})
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode()))
			.timeout(TIMEOUT)
			.onErrorResume((ex) -> {
				log.warn("Participation check of meeting {} failed: {}", meetingId, ex.toString());
				return Mono.just(HttpStatus.SERVICE_UNAVAILABLE);
			});
	}

}
