package dev.seed.meetings.notifier.events;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The broker, read from Spring's usual {@code spring.rabbitmq.*} keys (no AMQP starter on this classpath). */
@Validated
@ConfigurationProperties("spring.rabbitmq")
record RabbitConnectionProperties(
		@NotBlank @DefaultValue("127.0.0.1") String host,
		@DefaultValue("5672") int port,
		@DefaultValue("guest") String username,
		@DefaultValue("guest") String password,
		@DefaultValue("/") String virtualHost) {
}
