package dev.seed.meetings.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;

import dev.seed.meetings.gateway.problem.ProblemResponses;

/**
 * The 401 of an unauthenticated request, as problem+json with a {@code WWW-Authenticate: Bearer} challenge (RFC
 * 6750), and a detail that tells the caller what to change: no token at all, another scheme than Bearer (Basic, a
 * bare token), or a Bearer token that does not verify.
 */
final class BearerChallenge implements ServerAuthenticationEntryPoint {

	private final ProblemResponses problems;

	BearerChallenge(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer", 0, 6);
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
				bearer ? "Bearer error=\"invalid_token\"" : "Bearer");
		return this.problems.write(exchange, HttpStatus.UNAUTHORIZED, detail(authorization, bearer));
	}

	private static String detail(String authorization, boolean bearer) {
		if (authorization == null) {
			return "A bearer token is required: send Authorization: Bearer <token>";
		}
		if (!bearer) {
			int space = authorization.indexOf(' ');
			String scheme = (space > 0) ? authorization.substring(0, space) : "no";
			return "The Authorization header uses the " + scheme + " scheme; a Bearer token is expected: "
					+ "Authorization: Bearer <token>";
		}
		return "The bearer token is invalid or expired";
	}

}
