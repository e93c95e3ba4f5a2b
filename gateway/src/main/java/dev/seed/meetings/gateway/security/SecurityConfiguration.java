package dev.seed.meetings.gateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.problem.ProblemResponses;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Bearer tokens on every {@code /api/**} route but the invitations' ({@code /api/invitations/**} and the page
 * {@code /invitations/{token}}, whose token is in the path); the operational endpoints stay open so that
 * probes and Prometheus need no token, and so does the API documentation. Stateless: no session, no saved request, no CSRF (there
 * is no cookie to forge).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Duration JWK_SET_TIMEOUT = Duration.ofSeconds(5);

	private static final String API = "/api/**";

	private static final String INVITATIONS_API = "/api/invitations/**";

	private static final PathPattern API_PATTERN = PathPatternParser.defaultInstance.parse(API);

	private static final PathPattern INVITATIONS_API_PATTERN = PathPatternParser.defaultInstance.parse(INVITATIONS_API);

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
			ProblemResponses problems, CorsConfigurationSource corsConfigurationSource) {
		ServerAuthenticationEntryPoint unauthorized = new BearerChallenge(problems);
		ServerAccessDeniedHandler forbidden = (exchange, ex) -> problems.write(exchange, HttpStatus.FORBIDDEN,
				"Access denied");
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.cors(cors -> cors.configurationSource(corsConfigurationSource))
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.addFilterAt(new HttpHeaderWriterWebFilter(new ResponseSecurityHeaders()),
					SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
			.authorizeExchange(exchanges -> exchanges
				// first, and one matcher: nearly every request is an API call, and each matcher tried before the one
				// that matches formats a debug line whatever the log level (flight recordings under load)
				.matchers(SecurityConfiguration::signedInApi)
				.authenticated()
				// the invited person's page and its API: the link's token is the credential (limited per address)
				.pathMatchers("/invitations/*", INVITATIONS_API)
				.permitAll()
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
						"/webjars/swagger-ui/**")
				.permitAll()
				// only exists in the local profile; open to every method, so that a wrong one hears 405
				.pathMatchers(LocalTokenController.PATH)
				.permitAll()
				.anyExchange()
				.authenticated())
			.oauth2ResourceServer(server -> server.bearerTokenConverter(new BearerTokenConverter())
				.jwt(jwt -> jwt.jwtDecoder(jwtDecoder))
				.authenticationEntryPoint(unauthorized)
				.accessDeniedHandler(forbidden))
			.exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
			.build();
	}

	/** {@code /api/**} but the invitations' API, matched without a debug line per request. */
	private static Mono<ServerWebExchangeMatcher.MatchResult> signedInApi(ServerWebExchange exchange) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		return (API_PATTERN.matches(path) && !INVITATIONS_API_PATTERN.matches(path))
				? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch();
	}

	/**
	 * No observation (timer and span) per security filter and per chain: the request's own observation covers them,
	 * and these were a tenth of the gateway's CPU per request (flight recordings under load).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** Spring Security's strict firewall, with the same header rules checked without regular expressions. */
	@Bean
	ServerWebExchangeFirewall firewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderNames(HeaderCharacters::isAllowedName);
		firewall.setAllowedHeaderValues(HeaderCharacters::isAllowedValue);
		return firewall;
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder(GatewayProperties properties) {
		GatewayProperties.Jwt jwt = properties.jwt();
		ReactiveJwtDecoder decoder = verifyingDecoder(jwt);
		return (jwt.verifiedCacheSize() > 0)
				? new VerifiedTokenCache(decoder, jwt.verifiedCacheSize(), jwt.verifiedCacheMaxAge()) : decoder;
	}

	private static ReactiveJwtDecoder verifyingDecoder(GatewayProperties.Jwt jwt) {
		if (jwt.jwkSetUri() != null) {
			HttpClient httpClient = HttpClient.create()
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) JWK_SET_TIMEOUT.toMillis())
				.responseTimeout(JWK_SET_TIMEOUT);
			return NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString())
				.webClient(WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)).build())
				.build();
		}
		return NimbusReactiveJwtDecoder.withSecretKey(secretKey(jwt)).macAlgorithm(MacAlgorithm.HS256).build();
	}

	static SecretKey secretKey(GatewayProperties.Jwt jwt) {
		return new SecretKeySpec(jwt.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	@Bean
	CorsConfigurationSource corsConfigurationSource(GatewayProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		List<String> origins = properties.cors().allowedOrigins();
		if (!origins.isEmpty()) {
			CorsConfiguration cors = new CorsConfiguration();
			cors.setAllowedOrigins(origins);
			cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
			cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key",
					"X-Request-Id", "Last-Event-ID", HttpHeaders.IF_MATCH));
			cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "X-Request-Id",
					HttpHeaders.ETAG));
			cors.setMaxAge(Duration.ofHours(1));
			source.registerCorsConfiguration(API, cors);
		}
		return source;
	}

}
