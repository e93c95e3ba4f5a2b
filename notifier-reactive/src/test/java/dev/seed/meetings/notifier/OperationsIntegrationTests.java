package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
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
		awaitReady();
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
		awaitReady();
		assertThat(TestStack.rabbitmqctl("close_connection", connectionPid("notifier-reactive"), "readiness test"))
			.isTrue();

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.rabbit.status").isEqualTo("DOWN");
		awaitReady();
	}

	/** After an invitation is sent, Prometheus shows the email outcomes and the send concurrency in use. */
	@Test
	void invitationsAreMetered() throws Exception {
		awaitReady();
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

	private void awaitReady() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			int status = this.http.get().uri("/actuator/health/readiness").exchange().returnResult(Void.class)
				.getStatus().value();
			if (status == 200) {
				return;
			}
			TimeUnit.MILLISECONDS.sleep(200);
		}
		throw new AssertionError("not ready within 30s");
	}

	private static String connectionPid(String connectionName) {
		String output = TestStack.rabbitmqctlOutput("-q", "list_connections", "pid", "vhost", "client_properties");
		assertThat(output).as("rabbitmqctl list_connections").isNotNull();
		return output.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 3 && columns[1].equals(TestStack.get().vhost())
					&& columns[2].contains("{\"connection_name\",\"" + connectionName + "\"}"))
			.map((columns) -> columns[0])
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no connection named " + connectionName));
	}

}
