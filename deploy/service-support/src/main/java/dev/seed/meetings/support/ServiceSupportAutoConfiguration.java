package dev.seed.meetings.support;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;
import dev.seed.meetings.support.redis.RedisConnectionAtStartUp;
import dev.seed.meetings.support.web.ApiDocsOffEventLoop;
import dev.seed.meetings.support.web.RequestIdLogging;

/**
 * What every service does the same way: request ids in the logs, springdoc kept off the event loops, the OpenAPI
 * document's frame, the broker's connection properties where the service speaks to a broker, and the Redis
 * connection opened at start-up where it uses Redis.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(ServiceProperties.class)
public class ServiceSupportAutoConfiguration {

	@Bean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	RequestIdLogging requestIdLogging(ServiceProperties service) {
		return new RequestIdLogging(service.issueRequestIds());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springdoc.core.properties.SpringDocConfigProperties")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ApiDocs {

		private static final String BEARER = "bearer";

		@Bean
		ApiDocsOffEventLoop apiDocsOffEventLoop() {
			return new ApiDocsOffEventLoop();
		}

		/**
		 * The document describes the public API as callers see it: through the gateway (a relative server, so that
		 * the UI's "try it out" goes to the origin that served the page) and with the gateway's bearer token, which
		 * an operation may do without (its own {@code security = {}}).
		 */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty("service.api.title")
		OpenAPI openApi(ServiceProperties service) {
			ServiceProperties.Api api = service.api();
			return new OpenAPI().info(new Info().title(api.title()).version(api.version()).description(api.description()))
				.servers(List.of(new Server().url("/").description("the gateway")))
				.components(new Components().addSecuritySchemes(BEARER,
						new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
				.addSecurityItem(new SecurityRequirement().addList(BEARER));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.rabbitmq.client.ConnectionFactory")
	@EnableConfigurationProperties(RabbitConnectionProperties.class)
	static class Rabbit {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
	static class Redis {

		@Bean
		@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
		RedisConnectionAtStartUp redisConnectionAtStartUp(ReactiveRedisConnectionFactory connectionFactory) {
			return new RedisConnectionAtStartUp(connectionFactory);
		}

	}

}
