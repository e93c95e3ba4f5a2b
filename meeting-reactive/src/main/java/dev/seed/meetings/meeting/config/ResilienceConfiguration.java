package dev.seed.meetings.meeting.config;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Circuit breakers of the remote calls a booking depends on: {@code redis} and {@code user-directory}.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	@Bean
	CircuitBreakerRegistry circuitBreakers() {
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.slowCallDurationThreshold(Duration.ofSeconds(1))
			.waitDurationInOpenState(Duration.ofSeconds(10))
			.permittedNumberOfCallsInHalfOpenState(3)
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build();
		return CircuitBreakerRegistry.of(config);
	}

}
