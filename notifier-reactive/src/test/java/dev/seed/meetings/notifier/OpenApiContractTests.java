package dev.seed.meetings.notifier;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The published OpenAPI document and the handler methods the service really maps cannot drift apart. */
class OpenApiContractTests extends NotifierIntegrationTest {

	@Autowired
	private WebTestClient http;

	@Autowired
	private Map<String, RequestMappingHandlerMapping> handlerMappings;

	/** Every "METHOD /api/..." handled by a controller is in /v3/api-docs, and the document lists nothing else. */
	@Test
	void documentMatchesTheMappedEndpoints() {
		byte[] body = this.http.get().uri("/v3/api-docs").exchange()
			.expectStatus().isOk()
			.expectBody().returnResult().getResponseBody();
		JsonNode paths = JsonMapper.builder().build().readTree(body).path("paths");

		Set<String> documented = new TreeSet<>();
		for (Map.Entry<String, JsonNode> path : paths.properties()) {
			for (String method : path.getValue().propertyNames()) {
				documented.add(method.toUpperCase() + " " + path.getKey());
			}
		}

		assertThat(documented).isNotEmpty().containsExactlyInAnyOrderElementsOf(mapped());
	}

	private Set<String> mapped() {
		Set<String> endpoints = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : this.handlerMappings.values()) {
			for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
				Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
				for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
					if (!pattern.getPatternString().startsWith("/api/")) {
						continue;
					}
					assertThat(methods).as("HTTP methods of %s", pattern).isNotEmpty();
					methods.forEach(method -> endpoints.add(method.name() + " " + pattern.getPatternString()));
				}
			}
		}
		return endpoints;
	}

}
