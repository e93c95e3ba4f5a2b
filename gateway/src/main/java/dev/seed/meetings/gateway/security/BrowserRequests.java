package dev.seed.meetings.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Which requests come from the booking page in a browser, signed in (or signing in) with a session cookie: the page
 * itself, the sign-in endpoints, and API calls that carry the session cookie and no {@code Authorization} header.
 * Everything else, bearer clients above all, stays on the stateless chain of {@link SecurityConfiguration}. Written
 * by hand, without path patterns: every API request passes through it first.
 */
final class BrowserRequests implements ServerWebExchangeMatcher {

	/** The page and its scripts and styles ({@code static/} in the jar). */
	static final String PAGE = "/";

	static final String ASSETS = "/app/";

	/** The gateway's own endpoints for the page: the session, local sign-in, sign-out. */
	static final String AUTH = "/auth/";

	/** Spring Security's OpenID Connect login: the redirect to the provider and the provider's answer. */
	static final String OAUTH2_AUTHORIZATION = "/oauth2/authorization/";

	static final String OAUTH2_CALLBACK = "/login/oauth2/code/";

	private final String sessionCookie;

	BrowserRequests(String sessionCookie) {
		this.sessionCookie = sessionCookie;
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		return isBrowserRequest(exchange.getRequest()) ? MatchResult.match() : MatchResult.notMatch();
	}

	boolean isBrowserRequest(ServerHttpRequest request) {
		if (request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			return false;
		}
		String path = request.getPath().pathWithinApplication().value();
		if (path.startsWith("/api/")) {
			// the invitation API's credential is the link's token, not a session: the other chain lets it through
			return !path.startsWith("/api/invitations/") && request.getCookies().containsKey(this.sessionCookie);
		}
		return path.equals(PAGE) || path.equals("/index.html") || path.startsWith(ASSETS) || path.startsWith(AUTH)
				|| path.startsWith(OAUTH2_AUTHORIZATION) || path.startsWith(OAUTH2_CALLBACK);
	}

}
