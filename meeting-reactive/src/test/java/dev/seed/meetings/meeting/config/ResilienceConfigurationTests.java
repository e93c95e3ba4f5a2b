package dev.seed.meetings.meeting.config;

import java.io.IOException;
import java.time.Duration;
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

	/** Lookups bounded by 1 s to connect and 2 s to answer: one try may take 3 s. */
	private static final MeetingProperties.UserService DIRECTORY = new MeetingProperties.UserService(
			"http://127.0.0.1:8082", Duration.ofSeconds(1), Duration.ofSeconds(2), 64, 2, Duration.ofMillis(100),
			256);

	private final CircuitBreakerRegistry breakers = new ResilienceConfiguration()
		.circuitBreakers(new MeetingProperties(DIRECTORY, null, null, null, null, null, null));

	private final CircuitBreaker directory = this.breakers.circuitBreaker(ResilienceConfiguration.USER_DIRECTORY,
			ResilienceConfiguration.USER_DIRECTORY);

	/**
	 * Every cached profile expiring at once sends a burst of lookups that answer slowly, but inside the timeout: the
	 * directory's breaker stays closed (with the shared settings, ten of them opened it).
	 */
	@Test
	void aBurstOfSlowAnswersKeepsTheDirectoryClosed() {
		for (int i = 0; i < 200; i++) {
			this.directory.onSuccess(2_500, TimeUnit.MILLISECONDS);
		}

		assertThat(this.directory.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.directory.getMetrics().getNumberOfSlowCalls()).isZero();
		assertThat(this.breakers.circuitBreaker("redis").getCircuitBreakerConfig().getSlowCallDurationThreshold())
			.isEqualTo(Duration.ofSeconds(1));
	}

	/** Lookups that took longer than one try may (retries after stalls) open it, and the log says why. */
	@Test
	void callsSlowerThanOneTryOpenTheDirectoryAndThatIsLogged(CapturedOutput output) {
		for (int i = 0; i < 20; i++) {
			this.directory.onSuccess(3_500, TimeUnit.MILLISECONDS);
		}

		assertThat(this.directory.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(output).contains("Circuit breaker user-directory: State transition from CLOSED to OPEN")
			.contains("slow-call rate 100.0%");

		this.directory.transitionToHalfOpenState();
		this.directory.transitionToClosedState();
		assertThat(output).contains("Circuit breaker user-directory: State transition from HALF_OPEN to CLOSED");
	}

	/** Half of twenty lookups failing opens it; nineteen are not enough to judge. */
	@Test
	void failuresOpenTheDirectory() {
		for (int i = 0; i < 19; i++) {
			this.directory.onError(10, TimeUnit.MILLISECONDS, new IOException("refused"));
		}
		assertThat(this.directory.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

		this.directory.onError(10, TimeUnit.MILLISECONDS, new IOException("refused"));
		assertThat(this.directory.getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

}
