package dev.seed.meetings.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where PostgreSQL, Redis or RabbitMQ do not answer, starts the project's embedded stand-ins (the launcher of
 * {@code deploy/local} with {@code --servers-only}) in a process of their own, so that the stand-ins' libraries
 * never share a class path with the code under test. On this project's machines and in CI the real servers
 * answer and nothing is started.
 */
final class StandInServers {

	private static final Logger log = LoggerFactory.getLogger(StandInServers.class);

	private StandInServers() {
	}

	/** Returns the stand-ins' process, or null when every server already answers. */
	static Process startIfUnreachable(List<InetSocketAddress> servers) {
		List<InetSocketAddress> missing = servers.stream().filter(server -> !answers(server)).toList();
		if (missing.isEmpty()) {
			return null;
		}
		log.warn("Not reachable: {}. Starting embedded stand-ins; tests that need RabbitMQ itself will be skipped.",
				missing);
		try {
			Path jar = launcherJar();
			Path workDir = Files.createTempDirectory("seed-stand-ins");
			ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-jar", jar.toString(), "--servers-only")
				.redirectErrorStream(true)
				.redirectOutput(workDir.resolve("stand-ins.log").toFile());
			builder.environment().put("SEED_LOCAL_DIR", workDir.toString());
			Process process = builder.start();
			Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
			while (!servers.stream().allMatch(StandInServers::answers)) {
				if (!process.isAlive() || Instant.now().isAfter(deadline)) {
					process.destroyForcibly();
					throw new IllegalStateException("Stand-ins did not come up; see " + workDir.resolve("stand-ins.log"));
				}
				Thread.sleep(200);
			}
			return process;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start stand-ins for " + missing, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean answers(InetSocketAddress server) {
		try (Socket socket = new Socket()) {
			socket.connect(server, 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Path launcherJar() throws IOException {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IOException("Not inside the repository: cannot find deploy/local");
		}
		try (var files = Files.list(dir.resolve("deploy/local/target"))) {
			return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
				.findFirst()
				.orElseThrow(() -> new IOException("Build deploy/local first (./mvnw -pl deploy/local package)"));
		}
	}

}
