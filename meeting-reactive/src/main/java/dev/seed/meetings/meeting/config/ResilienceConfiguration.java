package dev.seed.meetings.meeting.config;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Circuit breakers of the remote calls a booking depends on: {@code redis} and {@code user-directory}.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ResilienceConfiguration.class);

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
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
		registry.getEventPublisher().onEntryAdded((added) -> logStateChanges(added.getAddedEntry()));
		return registry;
	}

	/**
	 * A breaker that opens turns every call it guards into a 503 for a while: the log says so, with the rates that
	 * opened it (a slow call fails nothing and is logged nowhere else).
	 */
	private static void logStateChanges(CircuitBreaker breaker) {
		breaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.Metrics metrics = breaker.getMetrics();
			log.warn("Circuit breaker {}: {} (failure rate {}%, slow-call rate {}% over the last {} calls)",
					event.getCircuitBreakerName(), event.getStateTransition(), metrics.getFailureRate(),
					metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls());
		});
	}

}
