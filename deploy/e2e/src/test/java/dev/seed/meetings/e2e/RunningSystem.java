package dev.seed.meetings.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.seed.meetings.local.ServiceProcess;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;

/**
 * The four services started once per test JVM from the jars that the build just made, on free ports, all pointed
 * at this run's database, Redis key prefix and RabbitMQ vhost, with an in-process SMTP server for the notifiers.
 * Two notifiers share the queue; meeting-reactive reaches the broker through a {@link FaultProxy}.
 */
final class RunningSystem {

	static final String JWT_SECRET = "e2e-secret-that-is-long-enough-for-hs256!!";

	/** What the gateway sends meeting-reactive so that it takes the gateway's X-User-Id. */

	static final String SERVICE_TOKEN = "e2e-service-token";

	/** Signs invitation links (notifier) and checks them (meeting-reactive). */
	static final String INVITATION_SECRET = "e2e-invitation-secret-0123456789abcdef";

	private static RunningSystem instance;

	final TestStack stack = TestStack.get();

	final GreenMail mail;

	final ServiceProcess users;

	final ServiceProcess meetings;

	final ServiceProcess notifier;

	/**
	 * A second notifier on the same queue, mailing through a {@link FaultProxy} that can slow it down: together
	 * the two must still mail every attendee exactly once, also when one of them stops mid-batch.
	 */
	volatile ServiceProcess secondNotifier;

	final FaultProxy secondNotifierSmtp;

	private final Runnable restartSecondNotifier;

	/** meeting-reactive's link to the broker, for cutting it. */
	final FaultProxy meetingBrokerLink;

	final ServiceProcess gateway;

	private RunningSystem() throws Exception {
		Path root = findRoot();
		Path logs = root.resolve("deploy/e2e/target/service-logs");
		mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();

		Map<String, String> common = new HashMap<>();
		common.put("spring.r2dbc.url", stack.r2dbcUrl());
		common.put("spring.flyway.url", stack.jdbcUrl());
		common.put("spring.data.redis.host", stack.redisHost());
		common.put("spring.data.redis.port", String.valueOf(stack.redisPort()));
		common.put("spring.rabbitmq.host", stack.rabbitHost());
		common.put("spring.rabbitmq.port", String.valueOf(stack.rabbitPort()));
		common.put("spring.rabbitmq.virtual-host", stack.vhost());
		common.put("meeting.invitations.secret", INVITATION_SECRET);
		common.put("notifier.invitations.secret", INVITATION_SECRET);
		List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

		int usersPort = freePort();
		int meetingsPort = freePort();
		int notifierPort = freePort();
		int gatewayPort = freePort();
		// the invitation links in the mails lead to this run's gateway
		common.put("notifier.public-base-url", "http://127.0.0.1:" + gatewayPort);
		meetingBrokerLink = FaultProxy.start("meeting-amqp", stack.rabbitHost(), stack.rabbitPort());
		List<ServiceProcess> all = new java.util.concurrent.CopyOnWriteArrayList<>();
		users = start(root, "user-reactive", usersPort, common, Map.of(), jvm, logs, all);
		meetings = start(root, "meeting-reactive", meetingsPort, common,
				Map.of("meeting.user-service.base-url", "http://127.0.0.1:" + usersPort,
						"meeting.cache.key-prefix", stack.redisKeyPrefix(), "meeting.outbox.relay-interval", "1s",
						"spring.rabbitmq.host", meetingBrokerLink.host(),
						"spring.rabbitmq.port", String.valueOf(meetingBrokerLink.port()),
						"meeting.gateway-token", SERVICE_TOKEN),
				jvm, logs, all);
		Map<String, String> smtp = Map.of("notifier.smtp.host", "127.0.0.1", "notifier.smtp.port",
				String.valueOf(mail.getSmtp().getPort()));
		notifier = start(root, "notifier-reactive", notifierPort, common, smtp, jvm, logs, all);
		secondNotifierSmtp = FaultProxy.start("second-notifier-smtp", "127.0.0.1", mail.getSmtp().getPort());
		Map<String, String> slowSmtp = Map.of("notifier.smtp.host", secondNotifierSmtp.host(), "notifier.smtp.port",
				String.valueOf(secondNotifierSmtp.port()));
		int secondNotifierPort = freePort();
		secondNotifier = start(root, "notifier-reactive", secondNotifierPort, common, slowSmtp, jvm,
				logs.resolve("second"), all);
		restartSecondNotifier = () -> {
			try {
				secondNotifier = start(root, "notifier-reactive", secondNotifierPort, common, slowSmtp, jvm,
						logs.resolve("second-restarted"), all).awaitReady(Duration.ofSeconds(120));
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		};
		gateway = start(root, "gateway", gatewayPort, common,
				Map.of("gateway.meeting-service-url", "http://127.0.0.1:" + meetingsPort,
						"gateway.user-service-url", "http://127.0.0.1:" + usersPort,
						"gateway.notifier-service-url", "http://127.0.0.1:" + notifierPort,
						"gateway.jwt.secret", JWT_SECRET, "gateway.service-token", SERVICE_TOKEN),
				jvm, logs, all);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			all.forEach(ServiceProcess::close);
			meetingBrokerLink.close();
			secondNotifierSmtp.close();
			mail.stop();
		}, "e2e-system-stop"));
		for (ServiceProcess service : all) {
			service.awaitReady(Duration.ofSeconds(120));
		}
	}

	static synchronized RunningSystem get() throws Exception {
		if (instance == null) {
			instance = new RunningSystem();
		}
		return instance;
	}

	/** Starts the second notifier again, after a test stopped it. */
	void restartSecondNotifier() {
		restartSecondNotifier.run();
	}

	String gatewayUrl() {
		return gateway.baseUrl();
	}

	String token(String userId) {
		return Jwt.hs256(JWT_SECRET, userId);
	}

	private static ServiceProcess start(Path root, String module, int port, Map<String, String> common,
			Map<String, String> own, List<String> jvm, Path logs, List<ServiceProcess> all) throws IOException {
		Map<String, String> properties = new HashMap<>(common);
		properties.putAll(own);
		ServiceProcess process = ServiceProcess.start(root, module, port, properties, jvm, logs);
		all.add(process);
		return process;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static Path findRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("Not inside the repository");
		}
		return dir;
	}

}
