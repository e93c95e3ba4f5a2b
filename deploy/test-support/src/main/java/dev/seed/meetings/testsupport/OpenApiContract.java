package dev.seed.meetings.testsupport;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps a service's published OpenAPI document and the handler methods it really maps from drifting apart.
 * Only {@code /api/...} paths are compared: probes and the document itself are not part of the contract.
 */
public final class OpenApiContract {

	private OpenApiContract() {
	}

	/**
	 * Asserts that every "METHOD /api/..." handled by a controller of {@code context} is in {@code apiDocs} (the JSON
	 * served at {@code /v3/api-docs}), and that the document lists nothing else.
	 */
	public static void assertDocumentsTheMappedEndpoints(ApplicationContext context, byte[] apiDocs) {
		assertThat(documented(apiDocs)).isNotEmpty().containsExactlyInAnyOrderElementsOf(mapped(context));
	}

	private static Set<String> documented(byte[] apiDocs) {
		assertThat(apiDocs).as("OpenAPI document").isNotNull();
		JsonNode paths = JsonMapper.builder().build().readTree(apiDocs).path("paths");
		Set<String> endpoints = new TreeSet<>();
		for (Map.Entry<String, JsonNode> path : paths.properties()) {
			for (String method : path.getValue().propertyNames()) {
				endpoints.add(method.toUpperCase() + " " + path.getKey());
			}
		}
		return endpoints;
	}

	private static Set<String> mapped(ApplicationContext context) {
		Set<String> endpoints = new TreeSet<>();
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
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
