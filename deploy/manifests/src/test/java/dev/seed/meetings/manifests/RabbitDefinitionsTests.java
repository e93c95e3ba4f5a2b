package dev.seed.meetings.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #20: {@code deploy/rabbitmq/definitions.json} declares, as quorum queues, what the services declare in their
 * code as plain durable queues, so that their declarations find it equivalent (the vhost's default queue type).
 */
class RabbitDefinitionsTests {

	private static JsonNode definitions;

	private static String code;

	@BeforeAll
	static void read() throws IOException {
		Path root = Repository.root();
		definitions = new ObjectMapper().readTree(root.resolve("deploy/rabbitmq/definitions.json").toFile());
		StringBuilder sources = new StringBuilder();
		for (String module : List.of("meeting-reactive", "notifier-reactive")) {
			try (var files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
					sources.append(Files.readString(file));
				}
			}
		}
		code = sources.toString();
	}

	@Test // #20
	void theVhostMakesDurableQueuesQuorumQueuesAndTheServicesUseIt() throws Exception {
		JsonNode vhost = definitions.get("vhosts").get(0);
		assertThat(vhost.path("metadata").path("default_queue_type").asText()).isEqualTo("quorum");
		for (String dir : List.of("deploy/k8s", "deploy/k8s/overlays/production")) {
			for (var map : KubernetesManifestsTests.render(dir).all(io.fabric8.kubernetes.api.model.ConfigMap.class)) {
				String virtualHost = map.getData().get("SPRING_RABBITMQ_VIRTUAL_HOST");
				if (virtualHost != null) {
					assertThat(virtualHost).as(map.getMetadata().getName()).isEqualTo(vhost.get("name").asText());
				}
			}
		}
	}

	@Test // #20
	void everyQueueExchangeAndBindingIsOneTheCodeDeclares() {
		List<String> queues = new ArrayList<>();
		definitions.get("queues").forEach((queue) -> {
			queues.add(queue.get("name").asText());
			assertThat(queue.get("arguments").get("x-queue-type").asText()).as(queue.get("name").asText()).isEqualTo("quorum");
			assertThat(queue.get("durable").asBoolean()).isTrue();
			assertThat(code).as("the code declares " + queue.get("name")).contains("\"" + queue.get("name").asText() + "\"");
		});
		assertThat(queues).contains("notification.meeting.created", "notification.meeting.created.dlq");
		JsonNode exchange = definitions.get("exchanges").get(0);
		assertThat(exchange.get("name").asText()).isEqualTo("meeting.events");
		assertThat(exchange.get("type").asText()).isEqualTo("topic");
		assertThat(code).contains("\"meeting.events\"");
		definitions.get("bindings").forEach((binding) -> {
			assertThat(binding.get("source").asText()).isEqualTo("meeting.events");
			assertThat(queues).contains(binding.get("destination").asText());
			assertThat(code).contains("\"" + binding.get("routing_key").asText() + "\"");
		});
	}

	@Test // #20
	void rejectedInvitationsAreDeadLetteredToTheParkingQueue() {
		JsonNode policy = definitions.get("policies").get(0);
		assertThat("notification.meeting.created").matches(policy.get("pattern").asText());
		assertThat("notification.meeting.created.dlq").doesNotMatch(policy.get("pattern").asText());
		assertThat(policy.get("definition").get("dead-letter-exchange").asText()).isEmpty();
		assertThat(policy.get("definition").get("dead-letter-routing-key").asText()).isEqualTo("notification.meeting.created.dlq");
	}

}
