package dev.seed.meetings.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One isolated slice of the real PostgreSQL, Redis and RabbitMQ per test JVM: a fresh database,
 * a Redis key prefix and a RabbitMQ vhost, all named after a random run id and removed when the JVM exits.
 * Server addresses come from {@code SEED_PG_HOST/PORT}, {@code SEED_REDIS_HOST/PORT} and
 * {@code SEED_RABBIT_HOST/PORT}, defaulting to the standard local ports; where none answers, embedded stand-ins
 * are started for the run (see {@link StandInServers}).
 */
public final class TestStack {

	private static final Logger log = LoggerFactory.getLogger(TestStack.class);

	private static volatile TestStack instance;

	private final String runId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final String pgHost = env("SEED_PG_HOST", "127.0.0.1");

	private final int pgPort = Integer.parseInt(env("SEED_PG_PORT", "5432"));

	private final String pgUser = env("SEED_PG_USER", "postgres");

	private final String pgPassword = env("SEED_PG_PASSWORD", "");

	private final String redisHost = env("SEED_REDIS_HOST", "127.0.0.1");

	private final int redisPort = Integer.parseInt(env("SEED_REDIS_PORT", "6379"));

	private final String rabbitHost = env("SEED_RABBIT_HOST", "127.0.0.1");

	private final int rabbitPort = Integer.parseInt(env("SEED_RABBIT_PORT", "5672"));

	private final String database = "seed_" + runId;

	private final String vhost;

	private final Process standIns;

	private TestStack() {
		this.standIns = StandInServers.startIfUnreachable(List.of(
				new InetSocketAddress(pgHost, pgPort), new InetSocketAddress(redisHost, redisPort),
				new InetSocketAddress(rabbitHost, rabbitPort)));
		createDatabase();
		this.vhost = createVhost();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			cleanUp();
			if (standIns != null) {
				standIns.destroy();
			}
		}, "test-stack-cleanup"));
		log.info("Test run {}: database {}, Redis prefix {}, vhost {}", runId, database, redisKeyPrefix(), vhost);
	}

	/** The stack of this JVM, created on first use. */
	public static TestStack get() {
		if (instance == null) {
			synchronized (TestStack.class) {
				if (instance == null) {
					instance = new TestStack();
				}
			}
		}
		return instance;
	}

	/** Points Spring's standard connection properties at this run's slice. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.url", this::r2dbcUrl);
		registry.add("spring.r2dbc.username", () -> pgUser);
		registry.add("spring.r2dbc.password", () -> pgPassword);
		registry.add("spring.flyway.url", this::jdbcUrl);
		registry.add("spring.flyway.user", () -> pgUser);
		registry.add("spring.flyway.password", () -> pgPassword);
		registry.add("spring.data.redis.host", () -> redisHost);
		registry.add("spring.data.redis.port", () -> redisPort);
		registry.add("spring.rabbitmq.host", () -> rabbitHost);
		registry.add("spring.rabbitmq.port", () -> rabbitPort);
		registry.add("spring.rabbitmq.username", () -> env("SEED_RABBIT_USER", "guest"));
		registry.add("spring.rabbitmq.password", () -> env("SEED_RABBIT_PASSWORD", "guest"));
		registry.add("spring.rabbitmq.virtual-host", () -> vhost);
	}

	public String runId() {
		return runId;
	}

	public String r2dbcUrl() {
		return "r2dbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
	}

	public String redisHost() {
		return redisHost;
	}

	public int redisPort() {
		return redisPort;
	}

	/** Every Redis key the run writes starts with this, so that runs never see each other's keys. */
	public String redisKeyPrefix() {
		return runId + ":";
	}

	public String rabbitHost() {
		return rabbitHost;
	}

	public int rabbitPort() {
		return rabbitPort;
	}

	public String vhost() {
		return vhost;
	}

	/** Whether this run has a vhost of its own on a real RabbitMQ (rabbitmqctl reachable). */
	public boolean isRabbitMq() {
		return !"/".equals(vhost);
	}

	/** A JDBC connection to this run's database, for assertions made by tests. */
	public Connection openJdbc() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), pgUser, pgPassword);
	}

	private void createDatabase() {
		try (Connection admin = DriverManager.getConnection(
				"jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres", pgUser, pgPassword)) {
			admin.createStatement().execute("CREATE DATABASE " + database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create test database on " + pgHost + ":" + pgPort, ex);
		}
	}

	private String createVhost() {
		String name = "seed-" + runId;
		if (rabbitmqctl("add_vhost", name) && rabbitmqctl("set_permissions", "-p", name,
				env("SEED_RABBIT_USER", "guest"), ".*", ".*", ".*")) {
			return name;
		}
		log.warn("rabbitmqctl is not usable here: this run shares the default vhost");
		return "/";
	}

	private void cleanUp() {
		try (Connection admin = DriverManager.getConnection(
				"jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres", pgUser, pgPassword)) {
			admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			log.warn("Could not drop test database {}: {}", database, ex.getMessage());
		}
		if (isRabbitMq()) {
			rabbitmqctl("delete_vhost", vhost);
		}
		RedisKeys.deleteByPrefix(redisHost, redisPort, redisKeyPrefix());
	}

	/** Runs rabbitmqctl against the local broker; false when it is missing or fails. */
	public static boolean rabbitmqctl(String... args) {
		return rabbitmqctlOutput(args) != null;
	}

	/** What rabbitmqctl printed, or null when it is missing or fails. */
	public static String rabbitmqctlOutput(String... args) {
		List<String> command = new java.util.ArrayList<>(List.of(env("SEED_RABBITMQCTL", "rabbitmqctl")));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * The pid of this run's broker connection whose client-provided name is {@code connectionName}, as
	 * {@code rabbitmqctl list_connections} shows it; fails when rabbitmqctl is unusable or no such connection is open.
	 */
	public static String connectionPid(String connectionName) {
		String output = rabbitmqctlOutput("-q", "list_connections", "pid", "vhost", "client_properties");
		if (output == null) {
			throw new IllegalStateException("rabbitmqctl list_connections failed");
		}
		String vhost = get().vhost();
		return output.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length == 3 && columns[1].equals(vhost)
					&& columns[2].contains("{\"connection_name\",\"" + connectionName + "\"}"))
			.map((columns) -> columns[0])
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no connection named " + connectionName + " in " + vhost));
	}

	/** Has the broker close this run's connection named {@code connectionName}, as an outage would; fails if it cannot. */
	public static void closeConnection(String connectionName, String reason) {
		if (!rabbitmqctl("close_connection", connectionPid(connectionName), reason)) {
			throw new IllegalStateException("rabbitmqctl could not close connection " + connectionName);
		}
	}

	/** A local port where nothing listens (it was free a moment ago), for tests of a dependency that is down. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free local port", ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return value == null || value.isBlank() ? fallback : value;
	}

}
