package dev.seed.meetings.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole system on this machine: the four services as child JVMs, against the PostgreSQL, Redis,
 * RabbitMQ and SMTP server at the configured addresses; where one is not reachable, an embedded stand-in takes its
 * place ({@code --standalone}: stand-ins for all four, on ports of their own; {@code --servers-only}: the servers
 * and no services, which is how tests run where no servers are installed). Server addresses come from
 * {@code SEED_PG_HOST/PORT}, {@code SEED_REDIS_HOST/PORT}, {@code SEED_RABBIT_HOST/PORT}, {@code SEED_SMTP_HOST/PORT}.
 * Ctrl-C stops everything it started; a later run first stops what a crashed run left behind.
 */
public final class LocalSystem {

	private static final String[][] USERS = {
			{ "u-1001", "Ada Lovelace", "ada@example.com", "Europe/London" },
			{ "u-1002", "Grace Hopper", "grace@example.com", "America/New_York" },
			{ "u-1003", "Haruki Sato", "haruki@example.com", "Asia/Tokyo" },
			{ "u-1004", "Min-jun Kim", "minjun@example.com", "Asia/Seoul" },
			{ "u-1005", "Lucia Rossi", "lucia@example.com", "Europe/Rome" } };

	private final Path root;

	private final Path workDir;

	private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());

	private LocalSystem(Path root, Path workDir) {
		this.root = root;
		this.workDir = workDir;
	}

	public static void main(String[] args) throws Exception {
		Path root = findRoot();
		LocalSystem system = new LocalSystem(root,
				Path.of(System.getenv().getOrDefault("SEED_LOCAL_DIR", root.resolve(".local").toString())));
		Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "local-system-stop"));
		try {
			List<String> options = List.of(args);
			system.start(options.contains("--standalone"), options.contains("--servers-only"));
		}
		catch (Exception ex) {
			System.err.println("Could not start the system: " + ex);
			ex.printStackTrace();
			System.exit(1);
		}
		Thread.currentThread().join();
	}

	private void start(boolean standalone, boolean serversOnly) throws Exception {
		Files.createDirectories(workDir);
		StalePids.killLeftovers(workDir.resolve("pids"));
		Map<String, String> properties = new HashMap<>(Map.of("spring.profiles.active", "local"));

		Endpoint postgres = server("PostgreSQL", "an embedded PostgreSQL", "SEED_PG", standalone ? 15432 : 5432,
				standalone, port -> StandIns.postgres(port, workDir.resolve("postgres")));
		properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + postgres + "/test");
		properties.put("spring.flyway.url", "jdbc:postgresql://" + postgres + "/test");
		Endpoint redis = server("Redis", "an embedded redis-server", "SEED_REDIS", standalone ? 16379 : 6379,
				standalone, StandIns::redis);
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", String.valueOf(redis.port()));
		Endpoint amqp = server("RabbitMQ", "an embedded Qpid Broker-J (AMQP 0-9-1, not RabbitMQ: no policies)",
				"SEED_RABBIT", standalone ? 15672 : 5672, standalone,
				port -> StandIns.amqp(port, workDir.resolve("qpid")));
		properties.put("spring.rabbitmq.host", amqp.host());
		properties.put("spring.rabbitmq.port", String.valueOf(amqp.port()));
		if (serversOnly) {
			StalePids.recordDescendants(workDir.resolve("pids"));
			say("SERVERS READY");
			return;
		}
		Endpoint smtp = server("SMTP", "a local GreenMail", "SEED_SMTP", 2525, standalone,
				port -> LocalMail.start(port, 8025));
		properties.put("notifier.smtp.host", smtp.host());
		properties.put("notifier.smtp.port", String.valueOf(smtp.port()));
		String mailPage = started.stream()
			.filter(LocalMail.class::isInstance)
			.map(mail -> ((LocalMail) mail).pageUrl())
			.findFirst()
			.orElse(null);
		StalePids.recordDescendants(workDir.resolve("pids"));

		// a trial on one machine beside its servers: heaps that start small and the serial collector, the fewest
		// threads and the least memory for four JVMs; under load, deploy/bench starts the services with the
		// collectors measured to suit them (deploy/bench/lib.sh)
		List<String> jvm = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
		Path logs = workDir.resolve("logs");
		ServiceProcess users = launch("user-reactive", 8082, properties, jvm, logs);
		ServiceProcess meetings = launch("meeting-reactive", 8081, properties, jvm, logs);
		ServiceProcess notifier = launch("notifier-reactive", 8083, properties, jvm, logs);
		ServiceProcess gateway = launch("gateway", 8080, properties, jvm, logs);
		for (ServiceProcess service : List.of(users, meetings, notifier, gateway)) {
			service.awaitReady(Duration.ofSeconds(90));
			say(service.name() + " ready on " + service.baseUrl() + " (log: " + root.relativize(service.log()) + ")");
		}
		seedUsers(users.baseUrl());

		say("");
		say("Open in a browser:  http://127.0.0.1:8080/  (sign in as a seeded user, book, watch the invitations)");
		say("Gateway:            http://127.0.0.1:8080");
		if (mailPage != null) {
			say("Invitations sent:   " + mailPage);
		}
		say("Get a token:        curl -s -X POST 'http://127.0.0.1:8080/local/token?sub=u-1001'");
		say("Book a meeting:");
		say("  TOKEN=$(curl -s -X POST 'http://127.0.0.1:8080/local/token?sub=u-1001' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')");
		say("  curl -i -X POST http://127.0.0.1:8080/api/meetings -H \"Authorization: Bearer $TOKEN\" \\");
		say("    -H 'Content-Type: application/json' -d '{\"title\":\"Design review\","
				+ "\"startAt\":\"2026-12-01T10:00:00+09:00\",\"endAt\":\"2026-12-01T11:00:00+09:00\","
				+ "\"location\":\"Room 3F-A\",\"attendees\":[\"u-1002\",\"u-1003\"]}'");
		say("Seeded users:       u-1001 .. u-1005. Ctrl-C stops everything.");
	}

	/** The server at {@code PREFIX_HOST:PREFIX_PORT}, or a stand-in started there when forced or unreachable. */
	private Endpoint server(String what, String standInName, String envPrefix, int port, boolean forced,
			StandIn standIn) throws Exception {
		Endpoint endpoint = Endpoint.fromEnv(envPrefix + "_HOST", "127.0.0.1", envPrefix + "_PORT", port);
		if (forced || !endpoint.reachable()) {
			started.add(standIn.start(endpoint.port()));
			say(what + ": started " + standInName + " on " + endpoint);
		}
		else {
			say(what + ": using the one at " + endpoint);
		}
		return endpoint;
	}

	private ServiceProcess launch(String module, int port, Map<String, String> properties, List<String> jvm,
			Path logs) throws IOException {
		int chosen = Integer.parseInt(System.getenv().getOrDefault(module.replace('-', '_').toUpperCase() + "_PORT",
				String.valueOf(port)));
		ServiceProcess process = ServiceProcess.start(root, module, chosen, properties, jvm, logs);
		started.add(process);
		StalePids.record(workDir.resolve("pids"), process.pid());
		return process;
	}

	private void seedUsers(String userService) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		for (String[] user : USERS) {
			String json = String.format("{\"userId\":\"%s\",\"name\":\"%s\",\"email\":\"%s\",\"timezone\":\"%s\"}",
					(Object[]) user);
			HttpRequest request = HttpRequest.newBuilder(URI.create(userService + "/api/users"))
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build();
			int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status != 201 && status != 409) {
				throw new IOException("Seeding " + user[0] + " answered " + status);
			}
		}
	}

	private void stop() {
		List<AutoCloseable> toStop = new ArrayList<>(started);
		Collections.reverse(toStop);
		for (AutoCloseable resource : toStop) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				System.err.println("While stopping: " + ex.getMessage());
			}
		}
		try {
			Files.deleteIfExists(workDir.resolve("pids"));
		}
		catch (IOException ignored) {
			// a later run cleans up
		}
	}

	private static Path findRoot() throws IOException {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("meeting-reactive"))) {
				return dir;
			}
			dir = dir.getParent();
		}
		throw new IOException("Run me from inside the repository (no mvnw found above " + Path.of("").toAbsolutePath() + ")");
	}

	static void say(String line) {
		System.out.println("[local] " + line);
	}

	@FunctionalInterface
	interface StandIn {

		AutoCloseable start(int port) throws Exception;

	}

	/** A host and port from the environment. */
	record Endpoint(String host, int port) {

		static Endpoint fromEnv(String hostVar, String host, String portVar, int port) {
			return new Endpoint(System.getenv().getOrDefault(hostVar, host),
					Integer.parseInt(System.getenv().getOrDefault(portVar, String.valueOf(port))));
		}

		boolean reachable() {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(host, port), 500);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		@Override
		public String toString() {
			return host + ":" + port;
		}

	}

}
