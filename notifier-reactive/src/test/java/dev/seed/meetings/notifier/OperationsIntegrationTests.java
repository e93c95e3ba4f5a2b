package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.seed.meetings.testsupport.Readiness;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The probes that deployments use, the meters of the invitation flow, and the trace context of a message. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsIntegrationTests extends NotifierIntegrationTest {

	@Autowired
	private WebTestClient http;

	/** Readiness is UP and made of the readiness state, PostgreSQL and our RabbitMQ connection; liveness is UP. */
	@Test
	void readinessIncludesDatabaseAndBroker() throws InterruptedException {
		Readiness.await(this.http);
		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.readinessState.status").isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status").isEqualTo("UP")
			.jsonPath("$.components.rabbit.status").isEqualTo("UP");
		this.http.get().uri("/actuator/health/liveness").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.rabbit").doesNotExist();
	}

	/** Readiness goes DOWN while the broker connection is closed, and UP again once automatic recovery reopens it. */
	@Test
	void readinessFollowsTheBrokerConnection() throws InterruptedException {
		assumeTrue(TestStack.get().isRabbitMq(), "needs a real RabbitMQ and rabbitmqctl to close our connection");
		Readiness.await(this.http);
		TestStack.closeConnection("notifier-reactive", "readiness test");

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.rabbit.status").isEqualTo("DOWN");
		Readiness.await(this.http);
	}

	/** After an invitation is sent, Prometheus shows the email outcomes and the send concurrency in use. */
	@Test
	void invitationsAreMetered() throws Exception {
		Readiness.await(this.http);
		UUID meetingId = UUID.randomUUID();
		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Metered", attendees(2)));
		awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));

		this.http.get().uri("/actuator/prometheus").exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.value(text -> assertThat(text).contains("notifier_emails_total{outcome=\"sent\"}",
					"notifier_emails_in_flight"));
	}

	/** A message's W3C traceparent header is continued: the log lines written while handling it carry its trace id. */
	@Test
	void messageTraceIsContinued(CapturedOutput output) throws Exception {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		String messageId = "e-traced-" + UUID.randomUUID();
		long parkedBefore = readyMessages(DLQ);
		try (Channel channel = channel()) {
			channel.confirmSelect();
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
				.messageId(messageId)
				.headers(Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"))
				.build();
			// unreadable on purpose: parking it is a handling step that logs
			channel.basicPublish(EXCHANGE, "meeting.created", true, properties,
					"not an event".getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(5_000);
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> readyMessages(DLQ) == parkedBefore + 1);
		assertThat(output.getOut().lines().filter((line) -> line.contains("Parking message " + messageId)))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(traceId));
	}

}
