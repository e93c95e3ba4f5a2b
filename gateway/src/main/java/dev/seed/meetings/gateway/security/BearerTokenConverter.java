package dev.seed.meetings.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The bearer token of the {@code Authorization} header, read as {@link ServerBearerTokenAuthenticationConverter} reads
 * it with its defaults (no token in the query or the form), without its regular expression
 * ({@code ^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$}, any case), which ran on every request and was a fiftieth of the
 * gateway's CPU (flight recordings under load). No header, or another scheme: no token, the request stays anonymous. A
 * header that starts with "bearer" but is malformed: an invalid token. BearerTokenConverterTests holds the two to
 * the same answers.
 */
final class BearerTokenConverter implements ServerAuthenticationConverter {

	private static final String SCHEME = "Bearer ";

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		return Mono.fromCallable(() -> token(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)))
			.map(BearerTokenAuthenticationToken::new);
	}

	/** The token; null when there is none to read; an exception when the header is a malformed bearer token. */
	private static String token(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1)) {
			return null;
		}
		if (!wellFormed(authorization)) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
		}
		return authorization.substring(SCHEME.length());
	}

	private static boolean wellFormed(String authorization) {
		if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return false;
		}
		int end = authorization.length();
		while (end > SCHEME.length() && authorization.charAt(end - 1) == '=') {
			end--;
		}
		if (end == SCHEME.length()) {
			return false;
		}
		for (int i = SCHEME.length(); i < end; i++) {
			if (!tokenCharacter(authorization.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean tokenCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~' || c == '+' || c == '/';
	}

}
