package dev.seed.meetings.support.web;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.channel.AbortedException;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.seed.meetings.support.ServiceProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Every service's 503 and 500 as the shared base writes them. */
@ExtendWith(OutputCaptureExtension.class)
class ProblemAdviceSupportTests {

	/** A 503 is problem+json with {@code Retry-After} in whole seconds from {@code service.retry-after}. */
	@Test
	void unavailableTellsTheClientWhenToRetry() {
		advice(Duration.ofSeconds(7)).unavailable("The store is away.", "Database unavailable")
			.as(StepVerifier::create)
			.assertNext((answer) -> {
				assertThat(answer.getStatusCode().value()).isEqualTo(503);
				assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
				assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				assertThat(answer.getBody().getType()).isEqualTo(URI.create("about:blank"));
				assertThat(answer.getBody().getTitle()).isEqualTo("Service unavailable");
				assertThat(answer.getBody().getDetail()).isEqualTo("The store is away.");
			})
			.verifyComplete();
	}

	/** Less than a second still says one: {@code Retry-After: 0} would invite a client to hammer. */
	@Test
	void retryAfterIsAtLeastOneSecond() {
		advice(Duration.ofMillis(300)).unavailable("away", "away")
			.as(StepVerifier::create)
			.assertNext((answer) -> assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1"))
			.verifyComplete();
	}

	/** The unforeseen is a bare 500: nothing of the exception reaches the body. */
	@Test
	void unexpectedTellsNothingOfTheFailure() {
		advice(Duration.ofSeconds(5)).unexpected(new IllegalStateException("SELECT secret FROM internals"))
			.as(StepVerifier::create)
			.assertNext((answer) -> {
				assertThat(answer.getStatusCode().value()).isEqualTo(500);
				assertThat(answer.getBody().getDetail()).doesNotContain("SELECT", "secret");
				assertThat(answer.getBody().getType()).isEqualTo(URI.create("about:blank"));
			})
			.verifyComplete();
	}

	/** A client gone before its answer is logged quietly, an unforeseen failure as an error. */
	@Test
	void aClientGoneAwayIsNoError(CapturedOutput output) {
		ProblemAdviceSupport advice = advice(Duration.ofSeconds(5));
		advice.unexpected(new AbortedException("Connection has been closed BEFORE send operation")).block();
		assertThat(output).doesNotContain("Unexpected failure");
		advice.unexpected(new IllegalStateException("broken")).block();
		assertThat(output).contains("Unexpected failure");
	}

	private static ProblemAdviceSupport advice(Duration retryAfter) {
		ServiceProperties service = new ServiceProperties(retryAfter, false, new ServiceProperties.Api(null, "v1", ""));
		return new ProblemAdviceSupport(service) {
		};
	}

}
