package dev.seed.meetings.meeting.config;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Circuit breakers of the remote calls a booking depends on: {@code redis} (the default settings) and
 * {@code user-directory} (its own, {@link #USER_DIRECTORY}).
 */
@Configuration(proxyBeanMethods = false)
public class ResilienceConfiguration {

	/** The name of the user directory's breaker and of its settings. */
	public static final String USER_DIRECTORY = "user-directory";

	private static final Logger log = LoggerFactory.getLogger(ResilienceConfiguration.class);

	@Bean
	CircuitBreakerRegistry circuitBreakers(MeetingProperties properties) {
		CircuitBreakerConfig defaults = CircuitBreakerConfig.custom()
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.slowCallDurationThreshold(Duration.ofSeconds(1))
			.waitDurationInOpenState(Duration.ofSeconds(10))
			.permittedNumberOfCallsInHalfOpenState(3)
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.build();
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(defaults);
		registry.addConfiguration(USER_DIRECTORY, userDirectory(defaults, properties.userService()));
		registry.getEventPublisher().onEntryAdded((added) -> logStateChanges(added.getAddedEntry()));
		return registry;
	}

	/**
	 * A lookup runs only when a profile is not cached, so lookups come in bursts: every booking of a pool whose
	 * profiles were cached together misses together when their fixed TTL ends. A burst of answers that are slow but
	 * inside the response timeout must not open the breaker (that turned a second of slow lookups into a 503 for every
	 * booking of the next ten seconds). So the breaker judges ten seconds of calls, not the last twenty, and a call
	 * is slow only when its tries took longer than one try may.
	 */
	private static CircuitBreakerConfig userDirectory(CircuitBreakerConfig defaults,
			MeetingProperties.UserService settings) {
		return CircuitBreakerConfig.from(defaults)
			.slidingWindow(10, 20, SlidingWindowType.TIME_BASED)
			.slowCallDurationThreshold(settings.connectTimeout().plus(settings.responseTimeout()))
			.build();
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
