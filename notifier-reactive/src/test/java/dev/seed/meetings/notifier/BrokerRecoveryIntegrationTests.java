package dev.seed.meetings.notifier;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.seed.meetings.testsupport.TestStack;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerRecoveryIntegrationTests extends NotifierIntegrationTest {

	/** The broker closing our connection heals without a restart: events published afterwards are still mailed. */
	@Test
	void consumerRecoversAfterTheBrokerClosesItsConnection() throws Exception {
		String pid = connectionPid("notifier-reactive");
		assertThat(TestStack.rabbitmqctl("close_connection", pid, "recovery test")).isTrue();

		UUID meetingId = UUID.randomUUID();
		List<Person> people = attendees(3);
		publish("e-" + meetingId, event("e-" + meetingId, meetingId, "After recovery", people));

		awaitAllSettled(meetingId, 3, Duration.ofSeconds(60));
		assertThat(deliveries(meetingId).values()).extracting(Row::status).containsOnly("SENT");
		for (Person person : people) {
			assertThat(mailTo(person.email())).hasSize(1);
		}
		awaitQueueDrained();
	}

	private static String connectionPid(String connectionName) throws Exception {
		Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "pid", "vhost",
				"client_properties")
			.redirectErrorStream(true)
			.start();
		String output;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			output = reader.lines().collect(Collectors.joining("\n"));
		}
		process.waitFor(60, TimeUnit.SECONDS);
		return output.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 3 && columns[1].equals(TestStack.get().vhost())
					&& columns[2].contains("{\"connection_name\",\"" + connectionName + "\"}"))
			.map((columns) -> columns[0])
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no connection named " + connectionName));
	}

}
