package dev.seed.meetings.meeting.config;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker connection, read from Spring's usual {@code spring.rabbitmq.*} keys (Spring AMQP itself is not used).
 */
@Validated
@ConfigurationProperties("spring.rabbitmq")
public record RabbitConnectionProperties(@NotBlank @DefaultValue("127.0.0.1") String host,
		@DefaultValue("5672") int port, @NotBlank @DefaultValue("guest") String username,
		@DefaultValue("guest") String password, @NotBlank @DefaultValue("/") String virtualHost) {
}
