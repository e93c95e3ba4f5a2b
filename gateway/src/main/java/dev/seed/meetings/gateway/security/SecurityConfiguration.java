package dev.seed.meetings.gateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.seed.meetings.gateway.config.GatewayProperties;
import dev.seed.meetings.gateway.problem.ProblemResponses;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
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
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Bearer tokens on every {@code /api/**} route; the operational endpoints stay open so that
 * probes and Prometheus need no token, and so does the API documentation. Stateless: no session, no saved request, no CSRF (there
 * is no cookie to forge).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Duration JWK_SET_TIMEOUT = Duration.ofSeconds(5);

	private static final String API = "/api/**";

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
			ProblemResponses problems, CorsConfigurationSource corsConfigurationSource) {
		ServerAuthenticationEntryPoint unauthorized = (exchange, ex) -> {
			boolean tokenGiven = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
					tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer");
			return problems.write(exchange, HttpStatus.UNAUTHORIZED,
					tokenGiven ? "The bearer token is invalid or expired" : "A bearer token is required");
		};
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
				// first, and one pattern: nearly every request is an API call, and each matcher tried before the one
				// that matches formats a debug line whatever the log level (deploy/bench/profile.sh)
				.matchers(new PathPatternParserServerWebExchangeMatcher(API))
				.authenticated()
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
						"/webjars/swagger-ui/**")
				.permitAll()
				// only exists in the local profile
				.pathMatchers(HttpMethod.POST, LocalTokenController.PATH)
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

	/**
	 * No observation (timer and span) per security filter and per chain: the request's own observation covers them,
	 * and these were a tenth of the gateway's CPU per request (deploy/bench/profile.sh).
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
