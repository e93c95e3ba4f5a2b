package dev.seed.meetings.notifier.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.seed.meetings.support.rabbit.RabbitHealthIndicator;

/** Health contributor {@code rabbit}: the one broker connection, shared by the consumer and the invitation events. */
@Configuration(proxyBeanMethods = false)
class RabbitHealth {

	@Bean
	RabbitHealthIndicator rabbitHealthIndicator(RabbitMeetingEventInbox inbox) {
		return new RabbitHealthIndicator(() -> inbox.connection().isOpen());
	}

}
