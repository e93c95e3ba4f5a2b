package dev.seed.meetings.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the system running as a child JVM from its Boot jar, with its output in a log file.
 * Ready means its actuator health answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private final Instant startedAt = Instant.now();

	ServiceProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts {@code module}'s jar from {@code root/module/target} with the given Spring properties
	 * ({@code server.port} among them) and JVM options, logging to {@code logDir/module.log}.
	 */
	public static ServiceProcess start(Path root, String module, int port, Map<String, String> properties,
			List<String> jvmOptions, Path logDir) throws IOException {
		Path jar = jarOf(root, module);
		Files.createDirectories(logDir);
		Path log = logDir.resolve(module + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new ServiceProcess(module, port, process, log);
	}

	/** The runnable jar that {@code mvn package} leaves in {@code root/module/target}. */
	public static Path jarOf(Path root, String module) throws IOException {
		Path target = root.resolve(module).resolve("target");
		if (Files.isDirectory(target)) {
			try (var files = Files.list(target)) {
				var jar = files.filter(file -> file.getFileName().toString().startsWith(module + "-"))
					.filter(file -> file.getFileName().toString().endsWith(".jar"))
					.filter(file -> !file.getFileName().toString().endsWith("-plain.jar"))
					.findFirst();
				if (jar.isPresent()) {
					return jar.get();
				}
			}
		}
		throw new IOException("No jar for " + module + " in " + target + ": build it first with ./mvnw -DskipTests package");
	}

	/** Waits until the service's health endpoint answers 200, or fails with the tail of its log. */
	public ServiceProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IOException(name + " exited with " + process.exitValue() + ":\n" + tail());
			}
			if (healthy()) {
				return this;
			}
			Thread.sleep(250);
		}
		throw new IOException(name + " not ready after " + timeout + ":\n" + tail());
	}

	/** One look at the service's health endpoint: 200 within two seconds. */
	public boolean healthy() throws InterruptedException {
		HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException notAnswering) {
			return false;
		}
	}

	/** How long ago the process was started. */
	Duration age() {
		return Duration.between(this.startedAt, Instant.now());
	}

	/** The exit code, or -1 while it runs. */
	int exitCode() {
		return process.isAlive() ? -1 : process.exitValue();
	}

	public String name() {
		return name;
	}

	public int port() {
		return port;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	public Path log() {
		return log;
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	public long pid() {
		return process.pid();
	}

	/** The last lines of the service's log, to say why it failed. */
	public String tail() {
		return String.join("\n", tail(40));
	}

	/** The last {@code count} lines of the service's log. */
	List<String> tail(int count) {
		try {
			List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
			return lines.subList(Math.max(0, lines.size() - count), lines.size());
		}
		catch (IOException ex) {
			return List.of("(no log: " + ex.getMessage() + ")");
		}
	}

	/** Kills the process at once (SIGKILL), as a crash or {@code kill -9} would, and waits until it is gone. */
	public void kill() throws InterruptedException {
		process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
	}

	/** Asks for a graceful shutdown (SIGTERM), then kills it if it has not stopped in 30 s. */
	@Override
	public void close() {
		stop(Duration.ofSeconds(30));
	}

	/** Asks for a graceful shutdown (SIGTERM) without waiting for it. */
	void askToStop() {
		process.destroy();
	}

	/** Asks for a graceful shutdown (SIGTERM), then kills it if it has not stopped within {@code grace}. */
	void stop(Duration grace) {
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
