package dev.seed.meetings.support.rabbit;

import com.rabbitmq.client.ConnectionFactory;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker connection, read from Spring's usual {@code spring.rabbitmq.*} keys (Spring AMQP itself is not used:
 * the services speak reactor-rabbitmq).
 */
@Validated
@ConfigurationProperties("spring.rabbitmq")
public record RabbitConnectionProperties(@NotBlank @DefaultValue("127.0.0.1") String host,
		@DefaultValue("5672") int port, @NotBlank @DefaultValue("guest") String username,
		@DefaultValue("guest") String password, @NotBlank @DefaultValue("/") String virtualHost) {

	/** A connection factory for this broker and vhost; recovery and timeouts are the caller's to set. */
	public ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.host);
		factory.setPort(this.port);
		factory.setUsername(this.username);
		factory.setPassword(this.password);
		factory.setVirtualHost(this.virtualHost);
		return factory;
	}

}
