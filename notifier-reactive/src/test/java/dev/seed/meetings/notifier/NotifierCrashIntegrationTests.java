package dev.seed.meetings.notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.seed.meetings.testsupport.TestStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second notifier in a JVM of its own, beside this context's, killed with SIGKILL while both are mailing, then
 * started again: its claims lapse ({@code claim-ttl} 5 s here) and are mailed by a poller; only a recipient whose mail
 * was in flight at the kill may get a second copy.
 */
class NotifierCrashIntegrationTests extends NotifierIntegrationTest {

	private static final Logger log = LoggerFactory.getLogger(NotifierCrashIntegrationTests.class);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test // #17
	void killedNotifierMidBatchLosesNothingAndDoublesAtMostWhatWasInFlight() throws Exception {
		SmtpProxy childSmtp = new SmtpProxy(SmtpProxy.freePort(), greenMail.getSmtp().getPort());
		childSmtp.up();
		childSmtp.delayEachMessage(Duration.ofMillis(200));
		smtp.delayEachMessage(Duration.ofMillis(200));
		Process child = startNotifier(childSmtp.port(), "first");
		Process restarted = null;
		try {
			List<UUID> meetings = new ArrayList<>();
			List<Person> everyone = new ArrayList<>();
			for (int i = 0; i < 60; i++) {
				UUID meetingId = UUID.randomUUID();
				List<Person> people = attendees(5);
				meetings.add(meetingId);
				everyone.addAll(people);
				publish("e-" + meetingId, event("e-" + meetingId, meetingId, "Crash " + i, people));
			}
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> delivered(everyone) >= 40 && sending(meetings) > 0);
			child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long killedAt = System.nanoTime();
			// every row SENDING at the kill: the killed notifier's in flight, and this one's (an upper bound)
			long inFlightAtKill = sending(meetings);
			long deliveredAtKill = delivered(everyone);
			smtp.delayEachMessage(Duration.ZERO);
			childSmtp.delayEachMessage(Duration.ZERO);

			restarted = startNotifier(childSmtp.port(), "restarted");
			long restartedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> delivered(everyone) == 300);
			long allDelivered = System.nanoTime();
			int duplicates = 0;
			for (Person person : everyone) {
				duplicates += Math.max(0, mailTo(person.email()).size() - 1);
			}
			log.info("kill -9 mid-batch: 300 invitations, {} delivered at the kill, {} SENDING at the kill; all "
					+ "delivered {} ms after the kill, {} ms after the restarted notifier was ready; duplicates {}",
					deliveredAtKill, inFlightAtKill, Duration.ofNanos(allDelivered - killedAt).toMillis(),
					Duration.ofNanos(allDelivered - restartedAt).toMillis(), duplicates);
			assertThat(deliveredAtKill).isLessThan(300);
			assertThat(duplicates).isLessThanOrEqualTo((int) inFlightAtKill);
			awaitQueueDrained();
		}
		finally {
			stop(child);
			stop(restarted);
			childSmtp.close();
		}
	}

	/** Recipients mailed at least once. */
	private static long delivered(List<Person> people) throws Exception {
		long delivered = 0;
		for (Person person : people) {
			delivered += mailTo(person.email()).isEmpty() ? 0 : 1;
		}
		return delivered;
	}

	private static long sending(List<UUID> meetings) throws Exception {
		try (Connection connection = TestStack.get().openJdbc();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM notifier.deliveries WHERE status = 'SENDING' AND meeting_id = ANY(?)")) {
			statement.setArray(1, connection.createArrayOf("uuid", meetings.toArray()));
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	/** The notifier in a JVM of its own, on this test's classpath, database and vhost; returns once it is ready. */
	private static Process startNotifier(int smtpPort, String name) throws Exception {
		int port = SmtpProxy.freePort();
		Map<String, Object> properties = new LinkedHashMap<>();
		TestStack.get().register((key, value) -> properties.put(key, value.get()));
		properties.put("server.port", port);
		properties.put("notifier.smtp.host", "127.0.0.1");
		properties.put("notifier.smtp.port", smtpPort);
		properties.put("notifier.max-concurrent-sends", 8);
		// the key that signs invitation links, which a notifier needs to start
		properties.put("notifier.invitations.secret", "crash-test-invitation-secret-0123456789abcdef");
		properties.put("notifier.claim-ttl", "5s");
		properties.put("notifier.claim-renew-every", "1s");
		properties.put("notifier.retry.poll-interval", "200ms");
		properties.put("notifier.retry.first-backoff", "100ms");
		properties.put("notifier.retry.max-backoff", "1s");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				NotifierApplication.class.getName()));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Path logs = Path.of("target", "crash-test");
		Files.createDirectories(logs);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(logs.resolve("notifier-" + name + ".log").toFile())
			.start();
		HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
			assertThat(process.isAlive()).as("the %s notifier is running", name).isTrue();
			try {
				return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException notYet) {
				return false;
			}
		});
		return process;
	}

	private static void stop(Process process) throws InterruptedException {
		if (process == null) {
			return;
		}
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
