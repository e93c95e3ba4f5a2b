package dev.seed.meetings.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The launcher, run as a person runs it (its own process), on a machine where a port it wants is taken. */
class LauncherPortTests {

	private static final Pattern STARTED = Pattern.compile("\\[local\\] (\\S+): started .* on 127\\.0\\.0\\.1:(\\d+) in");

	@TempDir
	Path workDir;

	private Process launcher;

	private final List<String> output = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() throws InterruptedException {
		if (this.launcher != null && this.launcher.isAlive()) {
			this.launcher.destroy();
			if (!this.launcher.waitFor(60, TimeUnit.SECONDS)) {
				this.launcher.descendants().forEach(ProcessHandle::destroyForcibly);
				this.launcher.destroyForcibly();
			}
		}
	}

	/** A service's port held by another program: one line naming the port and the holder, exit non-zero, in 10 s. */
	@Test // #21
	void aTakenServicePortStopsTheLauncherNamingIt() throws Exception {
		int gatewayPort = TestPorts.free();
		try (ServerSocket taken = TestPorts.webConsole(gatewayPort)) {
			start(Map.of("GATEWAY_PORT", String.valueOf(gatewayPort)), "--standalone");

			assertThat(this.launcher.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
			assertThat(this.launcher.exitValue()).isNotZero();
			assertThat(this.output).anySatisfy(line -> assertThat(line)
				.contains("Port " + gatewayPort + " (gateway) is held by ").contains("GATEWAY_PORT="));
			assertThat(this.output).as("nothing was started").noneMatch(line -> line.contains("started"));
		}
	}

	/**
	 * A stand-in's port held by a program that does not speak its protocol (as RabbitMQ's web console holds
	 * 15672): the launcher says so and puts the stand-in on another port, and every stand-in it reports as started
	 * answers its protocol there.
	 */
	@Test // #21
	void aTakenStandInPortIsReplacedByOneThatAnswers() throws Exception {
		int rabbitPort = TestPorts.free();
		try (ServerSocket console = TestPorts.webConsole(rabbitPort)) {
			start(Map.of("SEED_RABBIT_PORT", String.valueOf(rabbitPort)), "--standalone", "--servers-only");

			await().atMost(Duration.ofMinutes(3)).until(() -> this.output.contains("[local] SERVERS READY")
					|| !this.launcher.isAlive());
			assertThat(this.output).contains("[local] SERVERS READY");
			assertThat(this.output).anySatisfy(line -> assertThat(line)
				.startsWith("[local] RabbitMQ: port " + rabbitPort + " is held by ")
				.contains("which does not answer AMQP"));
			Map<String, Probes> probes = Map.of("PostgreSQL", Probes.POSTGRESQL, "Redis", Probes.REDIS, "RabbitMQ",
					Probes.AMQP);
			int reported = 0;
			for (String line : this.output) {
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					reported++;
					int port = Integer.parseInt(started.group(2));
					assertThat(probes.get(started.group(1)).answers("127.0.0.1", port)).as(line).isTrue();
					if (started.group(1).equals("RabbitMQ")) {
						assertThat(port).isNotEqualTo(rabbitPort);
					}
				}
			}
			assertThat(reported).isEqualTo(3);
		}
	}

	private void start(Map<String, String> ports, String... options) throws IOException {
		List<String> command = new java.util.ArrayList<>(List.of(TestPorts.java(), "-cp", TestPorts.classPath(),
				LocalSystem.class.getName()));
		command.addAll(List.of(options));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("SEED_LOCAL_DIR", this.workDir.toString());
		for (String variable : LocalSystem.PORT_SETTINGS.keySet()) {
			env.put(variable, String.valueOf(TestPorts.free()));
		}
		env.putAll(ports);
		this.launcher = builder.start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.launcher.getInputStream(), StandardCharsets.UTF_8))) {
				lines.lines().forEach(this.output::add);
			}
			catch (IOException ended) {
				// the launcher stopped
			}
		}, "launcher-output");
		reader.setDaemon(true);
		reader.start();
	}

}
