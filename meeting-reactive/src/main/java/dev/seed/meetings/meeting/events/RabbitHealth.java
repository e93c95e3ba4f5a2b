package dev.seed.meetings.meeting.events;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.seed.meetings.support.rabbit.RabbitHealthIndicator;

/** Health contributor {@code rabbit}: the publisher's broker connection. */
@Configuration(proxyBeanMethods = false)
class RabbitHealth {

	@Bean
	RabbitHealthIndicator rabbitHealthIndicator(RabbitEventPublisher publisher) {
		return new RabbitHealthIndicator(publisher::connected);
	}

}
