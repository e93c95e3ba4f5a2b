package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.GetResponse;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** #18: a change and a cancellation made while the broker is cut are answered, and their events arrive after. */
class ChangeBrokerOutageTests extends FaultTest {

	static final FaultProxy broker = FaultProxy.start("rabbitmq", TestStack.get().rabbitHost(),
			TestStack.get().rabbitPort());

	private static final String ORGANIZER = "u-organizer-outage";

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registerStackWithBrokerThrough(registry, broker);
		registry.add("meeting.outbox.relay-enabled", () -> "true");
		registry.add("meeting.outbox.relay-interval", () -> "500ms");
		registry.add("meeting.events.confirm-timeout", () -> "500ms");
	}

	@AfterEach
	void heal() {
		broker.heal();
	}

	/** PATCH and DELETE with the broker cut: 200 and 204; once healed, MeetingUpdated and MeetingCancelled arrive. */
	@Test // #18
	void nothingLostWhileTheBrokerIsCut() throws Exception {
		List<String> ids = users.newUsers(2);
		WebTestClient client = this.http.mutate().responseTimeout(Duration.ofSeconds(30))
			.defaultHeader("X-User-Id", ORGANIZER).build();
		Map<?, ?> booked = client.post().uri("/api/meetings").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson("Outage " + TestStack.get().runId(), ids)).exchange()
			.expectStatus().isCreated()
			.expectBody(Map.class).returnResult().getResponseBody();
		String meetingId = (String) booked.get("meetingId");
		try (EventQueue events = new EventQueue("meeting.updated", "meeting.cancelled")) {
			broker.cut();
			client.patch().uri("/api/meetings/" + meetingId)
				.header("If-Match", "\"0\"")
				.contentType(MediaType.parseMediaType("application/merge-patch+json"))
				.bodyValue("{\"startAt\":\"2027-05-11T10:00:00+09:00\",\"endAt\":\"2027-05-11T11:00:00+09:00\"}")
				.exchange()
				.expectStatus().isOk();
			client.delete().uri("/api/meetings/" + meetingId)
				.exchange()
				.expectStatus().isNoContent();
			broker.heal();

			List<String> types = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (types.size() < 2 && System.nanoTime() < deadline) {
				for (GetResponse message : events.take(2, Duration.ofMillis(500))) {
					var event = this.json.readTree(EventQueue.body(message));
					if (event.get("meetingId").asString().equals(meetingId) && !types.contains(event.get("type").asString())) {
						types.add(event.get("type").asString());
					}
				}
			}
			assertThat(types).containsExactlyInAnyOrder("MeetingUpdated", "MeetingCancelled");
		}
	}

}
