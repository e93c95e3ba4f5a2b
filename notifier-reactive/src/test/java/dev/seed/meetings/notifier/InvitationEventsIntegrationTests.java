package dev.seed.meetings.notifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InvitationEventsIntegrationTests extends NotifierIntegrationTest {

	@Autowired
	JsonMapper json;

	/** Each recorded outcome is published: invitation.sent / invitation.failed with the contract's fields. */
	@Test
	void outcomesArePublishedForStreamingClients() throws Exception {
		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(2);
		smtp.refuse(people.get(1).email());
		try (Channel channel = channel()) {
			String queue = channel.queueDeclare().getQueue();
			channel.queueBind(queue, EXCHANGE, "invitation.sent");
			channel.queueBind(queue, EXCHANGE, "invitation.failed");

			publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Announced", people));
			awaitAllSettled(meetingId, 2, Duration.ofSeconds(30));

			Map<String, GetResponse> byUser = new HashMap<>();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				GetResponse response = channel.basicGet(queue, true);
				if (response != null) {
					byUser.put(this.json.readTree(response.getBody()).get("userId").asString(), response);
				}
				return byUser.size() == 2;
			});

			GetResponse sent = byUser.get(people.get(0).userId());
			assertThat(sent.getEnvelope().getRoutingKey()).isEqualTo("invitation.sent");
			assertThat(sent.getProps().getDeliveryMode()).isEqualTo(2);
			assertThat(sent.getProps().getContentType()).isEqualTo("application/json");
			JsonNode sentEvent = this.json.readTree(new String(sent.getBody(), StandardCharsets.UTF_8));
			assertThat(sent.getProps().getMessageId()).isEqualTo(sentEvent.get("eventId").asString());
			assertThat(UUID.fromString(sentEvent.get("eventId").asString())).isNotNull();
			assertThat(sentEvent.get("type").asString()).isEqualTo("InvitationSent");
			assertThat(Instant.parse(sentEvent.get("occurredAt").asString())).isBefore(Instant.now().plusSeconds(1));
			assertThat(sentEvent.get("meetingId").asString()).isEqualTo(meetingId.toString());
			assertThat(sentEvent.get("email").asString()).isEqualTo(people.get(0).email());
			assertThat(sentEvent.get("attempts").asInt()).isEqualTo(1);
			assertThat(sentEvent.has("error")).isFalse();

			GetResponse failed = byUser.get(people.get(1).userId());
			assertThat(failed.getEnvelope().getRoutingKey()).isEqualTo("invitation.failed");
			JsonNode failedEvent = this.json.readTree(new String(failed.getBody(), StandardCharsets.UTF_8));
			assertThat(failed.getProps().getMessageId()).isEqualTo(failedEvent.get("eventId").asString());
			assertThat(failedEvent.get("type").asString()).isEqualTo("InvitationFailed");
			assertThat(failedEvent.get("email").asString()).isEqualTo(people.get(1).email());
			assertThat(failedEvent.get("attempts").asInt()).isEqualTo(1);
			assertThat(failedEvent.get("error").asString()).contains("550");

			assertThat(channel.basicGet(queue, true)).as("one event per attendee").isNull();
		}
		awaitQueueDrained();
	}

}
