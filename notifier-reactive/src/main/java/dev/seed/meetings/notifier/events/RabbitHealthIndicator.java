package dev.seed.meetings.notifier.events;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code rabbit}: the state of the service's one broker connection, shared by the consumer and
 * the invitation events (reactor-rabbitmq, so Boot's AMQP indicator does not apply). It looks at the connection
 * instead of opening one, so probing costs nothing and a connection that automatic recovery is still re-opening
 * counts as down.
 */
@Component
class RabbitHealthIndicator implements ReactiveHealthIndicator {

	private final RabbitMeetingEventInbox inbox;

	RabbitHealthIndicator(RabbitMeetingEventInbox inbox) {
		this.inbox = inbox;
	}

	@Override
	public Mono<Health> health() {
		return Mono.fromSupplier(() -> this.inbox.connection().isOpen() ? Health.up().build()
				: Health.down().withDetail("connection", "not open").build());
	}

}
