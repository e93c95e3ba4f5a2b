package dev.seed.meetings.user.user;

import java.io.IOException;
import java.net.ServerSocket;

import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The migrations run against the real database; the R2DBC pool points at a port where nothing listens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class UserDatabaseDownTests {

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + freePort() + "/test");
	}

	@Autowired
	private WebTestClient http;

	/** An unreachable database gives 503 problem+json with Retry-After, for reads and writes alike. */
	@Test
	void unreachableDatabaseIsServiceUnavailable() {
		this.http.get().uri("/api/users/u-1")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().exists(HttpHeaders.RETRY_AFTER);

		this.http.post().uri("/api/users")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"userId\":\"u-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"timezone\":\"UTC\"}")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
				.doesNotContainIgnoringCase("postgres").doesNotContain("127.0.0.1"));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
