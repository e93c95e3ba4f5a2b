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
	 * A breaker that opens turns every call it guards into a 503 (the directory) or a miss (Redis) for a while: the
	 * log says so once at WARN, with the rates that opened it (a slow call fails nothing and is logged nowhere else),
	 * and once more when it closes again: the start and the end of an outage. The calls in between are not logged one
	 * by one, and its trials meanwhile (half-open, then open again while the outage lasts) are only INFO.
	 */
	private static void logStateChanges(CircuitBreaker breaker) {
		breaker.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.Metrics metrics = breaker.getMetrics();
			String line = "Circuit breaker {}: {} (failure rate {}%, slow-call rate {}% over the last {} calls)";
			Object[] arguments = { event.getCircuitBreakerName(), event.getStateTransition(), metrics.getFailureRate(),
					metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls() };
			CircuitBreaker.StateTransition transition = event.getStateTransition();
			if (transition.getFromState() == CircuitBreaker.State.CLOSED
					|| transition.getToState() == CircuitBreaker.State.CLOSED) {
				log.warn(line, arguments);
			}
			else {
				log.info(line, arguments);
			}
		});
	}

}
