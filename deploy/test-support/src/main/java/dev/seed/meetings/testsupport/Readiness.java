package dev.seed.meetings.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.test.web.reactive.server.WebTestClient;

/** Waits for a service under test to report ready, for tests that break a dependency and watch it come back. */
public final class Readiness {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Readiness() {
	}

	/** Polls {@code /actuator/health/readiness} until it answers 200; fails after 30 seconds. */
	public static void await(WebTestClient http) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			int status = http.get().uri("/actuator/health/readiness").exchange().returnResult(Void.class)
				.getStatus().value();
			if (status == 200) {
				return;
			}
			TimeUnit.MILLISECONDS.sleep(200);
		}
		throw new AssertionError("not ready within " + TIMEOUT.toSeconds() + "s");
	}

}
