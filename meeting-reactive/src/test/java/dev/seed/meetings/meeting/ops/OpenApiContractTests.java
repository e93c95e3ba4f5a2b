package dev.seed.meetings.meeting.ops;

import java.time.Duration;

import dev.seed.meetings.testsupport.OpenApiContract;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.seed.meetings.meeting.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The published OpenAPI document and the handler methods the service really maps cannot drift apart. */
class OpenApiContractTests extends IntegrationTest {

	@Autowired
	private ApplicationContext context;

	/** Every "METHOD /api/..." handled by a controller is in /v3/api-docs, and the document lists nothing else. */
	@Test
	void documentMatchesTheMappedEndpoints() {
		byte[] apiDocs = apiDocs().get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody().returnResult().getResponseBody();
		OpenApiContract.assertDocumentsTheMappedEndpoints(this.context, apiDocs);
	}

	/** The document shows the API as callers of the gateway see it: the headers only the gateway sets are not in it. */
	@Test
	void headersOnlyTheGatewaySetsAreNotDocumented() {
		String apiDocs = apiDocs().get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(apiDocs).contains("Idempotency-Key").doesNotContain("X-User-Id").doesNotContain("X-Gateway-Token")
			.doesNotContain("X-User-Scopes");
	}

	/** The invitation API is documented without the bearer token that every other operation needs. */
	@Test // #16
	void invitationApiNeedsNoBearerToken() {
		apiDocs().get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.security[0].bearer").exists()
			.jsonPath("$.paths['/api/invitations/{token}'].get.security").isEmpty()
			.jsonPath("$.paths['/api/invitations/{token}/response'].post.security").isEmpty()
			.jsonPath("$.paths['/api/meetings/{meetingId}'].get.security").doesNotExist();
	}

	/** The first request builds the document, which takes seconds on a busy machine. */
	private WebTestClient apiDocs() {
		return this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

}
