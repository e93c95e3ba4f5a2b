package dev.seed.meetings.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server is believed only when it answers its own protocol: the real ones on this machine do, a program that
 * merely holds the port (a web console) does not.
 */
class ProbesTests {

	/** The servers every developer machine and CI run (or their SEED_* addresses). */
	@Test // #21
	void theRealServersAnswerTheirProtocols() {
		assertThat(Probes.POSTGRESQL.answers(host("SEED_PG_HOST"), port("SEED_PG_PORT", 5432))).isTrue();
		assertThat(Probes.REDIS.answers(host("SEED_REDIS_HOST"), port("SEED_REDIS_PORT", 6379))).isTrue();
		assertThat(Probes.AMQP.answers(host("SEED_RABBIT_HOST"), port("SEED_RABBIT_PORT", 5672))).isTrue();
	}

	/** A port held by something else is not taken for any of the servers. */
	@Test // #21
	void aWebConsoleIsNoServer() throws IOException {
		int port = TestPorts.free();
		try (ServerSocket console = TestPorts.webConsole(port)) {
			for (Probes probe : Probes.values()) {
				assertThat(probe.answers("127.0.0.1", port)).as(probe.protocol()).isFalse();
			}
			assertThat(Ports.free(port)).isFalse();
		}
		// the last connections it accepted close a moment later
		await().atMost(Duration.ofSeconds(10)).until(() -> Ports.free(port));
	}

	/** An SMTP server greets with 220 first. */
	@Test // #21
	void anSmtpGreetingIsAnSmtpServer() throws Exception {
		int port = TestPorts.free();
		try (ServerSocket smtp = new ServerSocket()) {
			smtp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			Thread greeter = new Thread(() -> {
				try (Socket client = smtp.accept()) {
					client.getOutputStream().write("220 fake ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				catch (IOException ignored) {
					// the test ended
				}
			});
			greeter.start();
			assertThat(Probes.SMTP.answers("127.0.0.1", port)).isTrue();
			greeter.join(5000);
		}
	}

	/** Nothing listening: no server, and the port is free. */
	@Test // #21
	void nothingListeningIsNoServer() {
		int port = TestPorts.free();
		assertThat(Probes.AMQP.answers("127.0.0.1", port)).isFalse();
		assertThat(Ports.free(port)).isTrue();
	}

	private static String host(String variable) {
		return System.getenv().getOrDefault(variable, "127.0.0.1");
	}

	private static int port(String variable, int port) {
		return Integer.parseInt(System.getenv().getOrDefault(variable, String.valueOf(port)));
	}

}
