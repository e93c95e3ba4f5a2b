package dev.seed.meetings.meeting.config;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The document describes the public API as callers see it: through the gateway (a relative server, so that the
 * UI's "try it out" goes to the origin that served the page) and with the gateway's bearer token, which the invitation
 * API alone does without.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String BEARER = "bearer";

	@Bean
	OpenAPI openApi() {
		Info info = new Info().title("Meetings").version("v1").description(
				"Book, read, change, cancel, list and stream meetings (each caller sees only the meetings they organize "
						+ "or attend, an operator with the scope meetings:admin sees all; only the organizer changes or "
						+ "cancels); answer an invitation with the token of its link, without a bearer token");
		return new OpenAPI().info(info)
			.servers(List.of(new Server().url("/").description("the gateway")))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

}
