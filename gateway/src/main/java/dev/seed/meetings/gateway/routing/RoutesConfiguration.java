package dev.seed.meetings.gateway.routing;

import java.util.List;

import dev.seed.meetings.gateway.config.GatewayProperties;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which path goes to which service. There is deliberately no Retry filter: a POST without an
 * Idempotency-Key must reach a service at most once, and the gateway cannot tell which calls
 * are safe to repeat better than the caller can.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

	static final String API_DOCS = "/v3/api-docs";

	@Bean
	RouteLocator routes(RouteLocatorBuilder builder, GatewayProperties properties, RateLimiter<?> rateLimiter,
			KeyResolver userKeyResolver, @Qualifier("invitationRateLimiter") RateLimiter<?> invitationRateLimiter,
			@Qualifier("clientAddressKeyResolver") KeyResolver clientAddressKeyResolver,
			ParticipantCheck participantCheck) {
		String meetings = properties.meetingServiceUrl().toString();
		return builder.routes()
			// more specific than /api/meetings/**, so it must be tried first; the notifier does not know who takes
			// part in a meeting, meeting-reactive does
			.route("invitations", route -> route.order(-1)
				.path("/api/meetings/*/invitations")
				.filters(filters -> api(filters, rateLimiter, userKeyResolver).filter(participantCheck.filter()))
				.uri(properties.notifierServiceUrl()))
			// the invited person's page and its API: no sign-in (the link's token is the credential), so limited
			// per client address instead of per user
			.route("invitation-links", route -> route.path("/invitations/*", "/api/invitations/**")
				.filters(filters -> api(filters, invitationRateLimiter, clientAddressKeyResolver))
				.uri(meetings))
			// a stream stays open for as long as the client listens: no response timeout
			.route("meetings-stream", route -> route.order(-1)
				.path("/api/meetings/stream")
				.filters(filters -> api(filters, rateLimiter, userKeyResolver))
				.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, -1)
				.uri(meetings))
			.route("meetings", route -> route.path("/api/meetings", "/api/meetings/**")
				.filters(filters -> api(filters, rateLimiter, userKeyResolver))
				.uri(meetings))
			.route("users", route -> route.path("/api/users", "/api/users/**")
				.filters(filters -> api(filters, rateLimiter, userKeyResolver))
				.uri(properties.userServiceUrl()))
			// each service's OpenAPI document, for the browsable UI that the gateway serves
			.route("meetings-api-docs", route -> route.path(API_DOCS + "/meetings")
				.filters(filters -> filters.setPath(API_DOCS))
				.uri(meetings))
			.route("users-api-docs", route -> route.path(API_DOCS + "/users")
				.filters(filters -> filters.setPath(API_DOCS))
				.uri(properties.userServiceUrl()))
			.route("invitations-api-docs", route -> route.path(API_DOCS + "/invitations")
				.filters(filters -> filters.setPath(API_DOCS))
				.uri(properties.notifierServiceUrl()))
			.build();
	}

	private static GatewayFilterSpec api(GatewayFilterSpec filters, RateLimiter<?> rateLimiter, KeyResolver keyResolver) {
		return filters.requestRateLimiter(config -> config.setRateLimiter(rateLimiter).setKeyResolver(keyResolver));
	}

	/**
	 * Reactor Netty retries once, by default, a request whose pooled connection turned out to be
	 * closed; for a POST that may already have been received, that is a second booking.
	 */
	@Bean
	HttpClientCustomizer noTransportRetry() {
		return httpClient -> httpClient.disableRetry(true);
	}

	/**
	 * Spring Cloud Gateway's client to the services, built as it builds it, with its pool settings
	 * ({@code spring.cloud.gateway.server.webflux.httpclient.pool.*}) applied to each event loop's pool.
	 */
	@Bean
	HttpClientFactory gatewayHttpClientFactory(HttpClientProperties properties, ServerProperties server,
			List<HttpClientCustomizer> customizers, HttpClientSslConfigurer ssl) {
		return new HttpClientFactory(properties, server, ssl, customizers) {
			@Override
			protected ConnectionProvider buildConnectionProvider(HttpClientProperties pool) {
				return new EventLoopAffinePool(() -> super.buildConnectionProvider(pool));
			}
		};
	}

}
