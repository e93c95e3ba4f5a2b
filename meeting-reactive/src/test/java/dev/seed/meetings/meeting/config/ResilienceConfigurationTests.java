package dev.seed.meetings.meeting.config;

import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ResilienceConfigurationTests {

	/** A breaker that opens after slow calls says so in the log, with its slow-call rate, and again when it closes. */
	@Test
	void aBreakerOpeningOnSlowCallsIsLogged(CapturedOutput output) {
		CircuitBreakerRegistry breakers = new ResilienceConfiguration().circuitBreakers();
		CircuitBreaker breaker = breakers.circuitBreaker("user-directory");
		for (int i = 0; i < 10; i++) {
			breaker.onSuccess(2, TimeUnit.SECONDS);
		}

		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(output).contains("Circuit breaker user-directory: State transition from CLOSED to OPEN")
			.contains("slow-call rate 100.0%");

		breaker.transitionToHalfOpenState();
		breaker.transitionToClosedState();
		assertThat(output).contains("Circuit breaker user-directory: State transition from HALF_OPEN to CLOSED");
	}

}
