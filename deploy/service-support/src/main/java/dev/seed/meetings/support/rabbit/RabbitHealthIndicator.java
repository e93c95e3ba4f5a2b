package dev.seed.meetings.support.rabbit;

import java.util.function.BooleanSupplier;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * Health contributor {@code rabbit} (declare it as a bean of that name, {@code rabbitHealthIndicator}): the state of
 * the service's own broker connection (reactor-rabbitmq, so Boot's AMQP indicator does not apply). It looks at the
 * connection instead of opening one, so probing costs nothing and a connection that automatic recovery is still
 * re-opening counts as down.
 */
public class RabbitHealthIndicator implements ReactiveHealthIndicator {

	private final BooleanSupplier connected;

	public RabbitHealthIndicator(BooleanSupplier connected) {
		this.connected = connected;
	}

	@Override
	public Mono<Health> health() {
		return Mono.fromSupplier(() -> this.connected.getAsBoolean() ? Health.up().build()
				: Health.down().withDetail("connection", "not open").build());
	}

}
