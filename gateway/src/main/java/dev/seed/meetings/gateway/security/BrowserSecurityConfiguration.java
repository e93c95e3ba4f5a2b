package dev.seed.meetings.gateway.security;

import dev.seed.meetings.gateway.problem.ProblemResponses;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.CompositeServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentSecurityPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The booking page's chain, tried before the bearer chain of {@link SecurityConfiguration}: the browser is signed in
 * by a session (Spring Session, kept in Redis so that every gateway instance knows it; an HttpOnly, SameSite=Lax
 * cookie, Secure over HTTPS) and the identity it holds is relayed to the services exactly as a token's subject is.
 * Every state-changing request must carry the {@code XSRF-TOKEN} cookie's value in {@code X-XSRF-TOKEN}. Sign-in is
 * the configured OpenID Connect provider's ({@code oauth2Login}, only when a client registration exists) or, where
 * {@code gateway.browser.local-sign-in} is on, a pick from the user directory ({@link BrowserSignInController}).
 */
@Configuration(proxyBeanMethods = false)
class BrowserSecurityConfiguration {

	/** The page loads its own scripts, styles and data only, and is framed by nobody. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
			+ "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	/** The name Spring's cookie resolver uses unless told otherwise. */
	private static final String DEFAULT_SESSION_COOKIE = "SESSION";

	@Bean
	BrowserRequests browserRequests(ObjectProvider<WebSessionIdResolver> sessionIds) {
		WebSessionIdResolver resolver = sessionIds.getIfAvailable();
		return new BrowserRequests((resolver instanceof CookieWebSessionIdResolver cookies) ? cookies.getCookieName()
				: DEFAULT_SESSION_COOKIE);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain browserSecurityWebFilterChain(ServerHttpSecurity http, BrowserRequests browserRequests,
			ProblemResponses problems, CorsConfigurationSource corsConfigurationSource,
			ObjectProvider<ReactiveClientRegistrationRepository> clientRegistrations) {
		ServerAuthenticationEntryPoint signInFirst = (exchange, ex) -> problems.write(exchange,
				HttpStatus.UNAUTHORIZED, "Sign in first: the session is missing or has expired");
		http.securityMatcher(browserRequests)
			.csrf(csrf -> csrf.csrfTokenRepository(CookieServerCsrfTokenRepository.withHttpOnlyFalse())
				// the page sends the cookie's value as it is, not the masked form of a rendered token
				.csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
				.accessDeniedHandler((exchange, denied) -> problems.write(exchange, HttpStatus.FORBIDDEN,
						"The X-XSRF-TOKEN header must repeat the XSRF-TOKEN cookie")))
			.cors(cors -> cors.configurationSource(corsConfigurationSource))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.logout(logout -> logout.logoutUrl(BrowserSignInController.SIGN_OUT)
				.logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
						new WebSessionServerLogoutHandler()))
				.logoutSuccessHandler((filterExchange, authentication) -> Mono
					.fromRunnable(() -> filterExchange.getExchange().getResponse().setStatusCode(HttpStatus.NO_CONTENT))))
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.addFilterAt(new HttpHeaderWriterWebFilter(
					new CompositeServerHttpHeadersWriter(new ResponseSecurityHeaders(), contentSecurityPolicy())),
					SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
			.authorizeExchange(exchanges -> exchanges
				.pathMatchers(HttpMethod.GET, BrowserRequests.PAGE, "/index.html", BrowserRequests.ASSETS + "**")
				.permitAll()
				.pathMatchers(BrowserSignInController.SESSION, BrowserSignInController.LOCAL + "/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.exceptionHandling(handling -> handling.authenticationEntryPoint(signInFirst));
		if (clientRegistrations.getIfAvailable() != null) {
			http.oauth2Login(login -> {
			});
		}
		return http.build();
	}

	private static ServerHttpHeadersWriter contentSecurityPolicy() {
		ContentSecurityPolicyServerHttpHeadersWriter writer = new ContentSecurityPolicyServerHttpHeadersWriter();
		writer.setPolicyDirectives(CONTENT_SECURITY_POLICY);
		return writer;
	}

}
