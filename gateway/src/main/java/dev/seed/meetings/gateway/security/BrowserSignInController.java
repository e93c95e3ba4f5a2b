package dev.seed.meetings.gateway.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.seed.meetings.gateway.config.GatewayProperties;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's own endpoints for the booking page: who is signed in and how one signs in ({@code GET /auth/session},
 * which also issues the {@code XSRF-TOKEN} cookie), and, where {@code gateway.browser.local-sign-in} is on, the user
 * directory to pick from ({@code GET /auth/local/users?query=}) and the sign-in as the picked user
 * ({@code POST /auth/local/sign-in}). Signing out is Spring Security's logout at {@code POST /auth/sign-out}.
 */
@RestController
class BrowserSignInController {

	static final String SESSION = "/auth/session";

	static final String LOCAL = "/auth/local";

	static final String SIGN_OUT = "/auth/sign-out";

	private static final Duration DIRECTORY_TIMEOUT = Duration.ofSeconds(5);

	private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final boolean localSignIn;

	private final WebClient directory;

	private final List<Provider> providers;

	private final ServerSecurityContextRepository contexts = new WebSessionServerSecurityContextRepository();

	BrowserSignInController(BrowserProperties browser, GatewayProperties gateway, ObjectProvider<WebClient.Builder> webClients,
			ObjectProvider<ReactiveClientRegistrationRepository> clientRegistrations) {
		this.localSignIn = browser.localSignIn();
		this.directory = webClients.getIfAvailable(WebClient::builder).baseUrl(gateway.userServiceUrl().toString()).build();
		this.providers = providers(clientRegistrations.getIfAvailable());
	}

	record Provider(String id, String name, String url) {
	}

	record Session(boolean signedIn, String userId, boolean localSignIn, List<Provider> providers) {
	}

	record LocalSignIn(String userId) {
	}

	@GetMapping(SESSION)
	Mono<Session> session(ServerWebExchange exchange) {
		Mono<CsrfToken> csrf = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
		return csrf.then(exchange.getPrincipal())
			.map(principal -> new Session(true, principal.getName(), this.localSignIn, this.providers))
			.defaultIfEmpty(new Session(false, null, this.localSignIn, this.providers));
	}

	@GetMapping(path = LOCAL + "/users", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<JsonNode> users(@RequestParam(defaultValue = "") String query) {
		requireLocalSignIn();
		return this.directory.get()
			.uri(uri -> uri.path("/api/users").queryParam("query", "{query}").queryParam("limit", 20).build(query))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(DIRECTORY_TIMEOUT);
	}

	@PostMapping(LOCAL + "/sign-in")
	Mono<Session> signIn(@RequestBody LocalSignIn body, ServerWebExchange exchange) {
		requireLocalSignIn();
		String userId = (body.userId() != null) ? body.userId().strip() : "";
		if (!USER_ID.matcher(userId).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "userId must be a user id: [A-Za-z0-9._-]{1,64}");
		}
		return this.directory.get()
			.uri("/api/users/{id}", userId)
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(DIRECTORY_TIMEOUT)
			.onErrorMap(WebClientResponseException.NotFound.class,
					ex -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No user " + userId + " in the directory"))
			.flatMap(user -> exchange.getSession().flatMap(session -> session.changeSessionId()))
			.then(Mono.defer(() -> this.contexts.save(exchange, new SecurityContextImpl(
					UsernamePasswordAuthenticationToken.authenticated(userId, null, AuthorityUtils.NO_AUTHORITIES)))))
			.thenReturn(new Session(true, userId, true, this.providers));
	}

	private void requireLocalSignIn() {
		if (!this.localSignIn) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

	/** Each client registration's login address ({@code oauth2Login}'s own), when the repository can list them. */
	private static List<Provider> providers(ReactiveClientRegistrationRepository registrations) {
		List<Provider> providers = new ArrayList<>();
		if (registrations instanceof Iterable<?> all) {
			for (Object registration : all) {
				ClientRegistration client = (ClientRegistration) registration;
				providers.add(new Provider(client.getRegistrationId(), client.getClientName(),
						BrowserRequests.OAUTH2_AUTHORIZATION + client.getRegistrationId()));
			}
		}
		return List.copyOf(providers);
	}

}
