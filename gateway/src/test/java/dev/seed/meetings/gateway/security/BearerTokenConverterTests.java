package dev.seed.meetings.gateway.security;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/** The converter reads the Authorization header as Spring Security's own converter does, with its defaults. */
class BearerTokenConverterTests {

	static List<String> headers() {
		List<String> headers = new ArrayList<>(List.of("Bearer abc.DEF-123_x~y+z/w", "bearer abc", "BEARER abc",
				"Bearer abc==", "Bearer abc=", "Bearer a=b", "Bearer ", "Bearer", "Bearer  abc", "Bearer abc ",
				"Bearer abc\n", "Bearer ab c", "Bearer ab%c", "Bearer ===", "Bearerabc", "Bearer\tabc", "Basic dXNlcjpwdw==",
				"bearers abc", "Token abc", "", "  Bearer abc", "Bearer é", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
		for (char c = 0; c < 128; c++) {
			headers.add("Bearer a" + c + "b");
		}
		return headers;
	}

	@ParameterizedTest
	@MethodSource("headers")
	void readsTheHeaderAsSpringSecurityDoes(String authorization) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/api/meetings").header(HttpHeaders.AUTHORIZATION, authorization));
		assertThat(outcome(new BearerTokenConverter(), exchange))
			.isEqualTo(outcome(new ServerBearerTokenAuthenticationConverter(), exchange));
	}

	@Test
	void noHeaderIsNoToken() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/meetings"));
		assertThat(outcome(new BearerTokenConverter(), exchange)).isEqualTo("none")
			.isEqualTo(outcome(new ServerBearerTokenAuthenticationConverter(), exchange));
	}

	/** "token:...", "none" or "error:<OAuth2 error code>". */
	private static String outcome(ServerAuthenticationConverter converter, MockServerWebExchange exchange) {
		try {
			Authentication authentication = converter.convert(exchange).blockOptional().orElse(null);
			return (authentication == null) ? "none"
					: "token:" + ((BearerTokenAuthenticationToken) authentication).getToken();
		}
		catch (OAuth2AuthenticationException ex) {
			return "error:" + ex.getError().getErrorCode();
		}
	}

}
