package dev.seed.meetings.gateway.routing;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The services trust {@code X-User-Id} as the caller's identity, so the gateway alone sets it: this filter keeps the
 * verified token's subject (and its scopes, for {@code X-User-Scopes}) for {@link ServiceHeaders}, which drops
 * whatever a client sent and writes them instead. The rate limiter's key is the same subject ({@link #userId}).
 */
@Component
public class UserIdRelayFilter implements GlobalFilter, Ordered {

	static final String HEADER = "X-User-Id";

	static final String ATTRIBUTE = UserIdRelayFilter.class.getName() + ".userId";

	/** The token's scopes, relayed as meeting-reactive reads them ({@code meetings:admin} sees every meeting). */
	static final String SCOPES_HEADER = "X-User-Scopes";

	static final String SCOPES_ATTRIBUTE = UserIdRelayFilter.class.getName() + ".scopes";

	private static final String SCOPE_AUTHORITY = "SCOPE_";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return exchange.getPrincipal()
			.doOnNext(principal -> {
				exchange.getAttributes().put(ATTRIBUTE, principal.getName());
				String scopes = scopes(principal);
				if (!scopes.isEmpty()) {
					exchange.getAttributes().put(SCOPES_ATTRIBUTE, scopes);
				}
			})
			.then(Mono.defer(() -> chain.filter(exchange)));
	}

	/** The token's {@code scope} (or {@code scp}) claim as Spring Security granted it, separated by spaces. */
	private static String scopes(Principal principal) {
		if (!(principal instanceof Authentication authentication)) {
			return "";
		}
		StringBuilder scopes = new StringBuilder();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			String name = authority.getAuthority();
			if (name != null && name.startsWith(SCOPE_AUTHORITY)) {
				scopes.append(scopes.isEmpty() ? "" : " ").append(name, SCOPE_AUTHORITY.length(), name.length());
			}
		}
		return scopes.toString();
	}

	/** The verified subject of a request this filter has seen; empty for an anonymous one. */
	public static Mono<String> userId(ServerWebExchange exchange) {
		return Mono.justOrEmpty(exchange.<String>getAttribute(ATTRIBUTE));
	}

}
