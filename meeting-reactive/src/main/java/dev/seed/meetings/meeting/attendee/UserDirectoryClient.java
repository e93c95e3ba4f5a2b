package dev.seed.meetings.meeting.attendee;

import java.time.Duration;

import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.meeting.config.ResilienceConfiguration;

/**
 * {@code GET /api/users/{userId}} on user-reactive.
 */
@Component
class UserDirectoryClient implements DisposableBean {

	private final ConnectionProvider connections;

	private final WebClient webClient;

	private final MeetingProperties.UserService settings;

	private final CircuitBreaker breaker;

	/** Boot's {@code WebClient.Builder} is observed, so that the W3C trace context goes along with each lookup. */
	UserDirectoryClient(MeetingProperties properties, CircuitBreakerRegistry breakers, WebClient.Builder webClients) {
		this.settings = properties.userService();
		this.breaker = breakers.circuitBreaker(ResilienceConfiguration.USER_DIRECTORY,
				ResilienceConfiguration.USER_DIRECTORY);
		this.connections = ConnectionProvider.builder("user-directory")
			.maxConnections(this.settings.maxConnections())
			.pendingAcquireTimeout(this.settings.connectTimeout().plus(this.settings.responseTimeout()))
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		HttpClient httpClient = HttpClient.create(this.connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.settings.connectTimeout().toMillis())
			.responseTimeout(this.settings.responseTimeout());
		this.webClient = webClients.clone()
			.baseUrl(this.settings.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.build();
	}

	@Override
	public void destroy() {
		this.connections.dispose();
	}

	/**
	 * The user's profile, or empty when the directory does not know the id. Fails with
	 * {@link UserDirectoryUnavailableException} when the directory keeps failing or stalling.
	 */
	Mono<AttendeeProfile> findById(String userId) {
		return this.webClient.get()
			.uri("/api/users/{userId}", userId)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> {
				if (response.statusCode() == HttpStatus.NOT_FOUND) {
					return response.releaseBody().then(Mono.empty());
				}
				if (response.statusCode().is2xxSuccessful()) {
					return response.bodyToMono(AttendeeProfile.class);
				}
				return response.createError();
			})
			// the response timeout does not cover a stalled connect or a body that trickles
			.timeout(this.settings.connectTimeout().plus(this.settings.responseTimeout()))
			.retryWhen(Retry.backoff(this.settings.retries(), this.settings.retryBackoff())
				.jitter(0.5)
				.filter(UserDirectoryClient::isTransient)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.transform(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap((ex) -> isTransient(ex) || ex instanceof CallNotPermittedException,
					UserDirectoryUnavailableException::new);
	}

	static boolean isTransient(Throwable ex) {
		return ex instanceof TimeoutException || ex instanceof WebClientRequestException
				|| (ex instanceof WebClientResponseException response && response.getStatusCode().is5xxServerError());
	}

}
