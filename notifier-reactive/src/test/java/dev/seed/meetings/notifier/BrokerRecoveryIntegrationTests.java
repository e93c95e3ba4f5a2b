package dev.seed.meetings.notifier;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seed.meetings.testsupport.TestStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BrokerRecoveryIntegrationTests extends NotifierIntegrationTest {

	/** The broker closing our connection heals without a restart: events published afterwards are still mailed. */
	@Test
	void consumerRecoversAfterTheBrokerClosesItsConnection() throws Exception {
		assumeTrue(TestStack.get().isRabbitMq(), "needs a real RabbitMQ and rabbitmqctl to close our connection");
		TestStack.closeConnection("notifier-reactive", "recovery test");

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

}
