package dev.seed.meetings.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.seed.meetings.local.ServiceProcess;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;

/**
 * Two of every service on one machine, as a cluster runs them: one database, one Redis, one broker vhost, one SMTP
 * server. Side {@code a} and side {@code b} each have a gateway, a meeting-reactive (reaching the broker through a
 * {@link FaultProxy} of its own), a user-reactive and a notifier; each gateway routes to its own side's services.
 */
final class ScaleOutSystem implements AutoCloseable {

	static final String JWT_SECRET = "scale-out-secret-that-is-long-enough-for-hs256";

	static final String SERVICE_TOKEN = "scale-out-service-token";

	/** The key that signs the notifier's invitation links. */
	static final String INVITATION_SECRET = "scale-out-invitation-secret-that-is-long-enough";

	/** The gateways' rate limit, low enough that a test can exhaust one user's bucket in a second. */
	static final int BURST = 30;

	static final int REPLENISH_PER_SECOND = 2;

	final TestStack stack = TestStack.get();

	final GreenMail mail;

	final List<Side> sides = new ArrayList<>();

	private final List<ServiceProcess> all = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** One copy of each service. */
	record Side(String name, ServiceProcess gateway, ServiceProcess meetings, ServiceProcess users,
			ServiceProcess notifier, FaultProxy meetingBrokerLink) {
	}

	ScaleOutSystem() throws Exception {
		Path root = RunningSystem.findRoot();
		Path logs = root.resolve("deploy/e2e/target/service-logs/scale-out");
		mail = new GreenMail(new ServerSetup(TestStack.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();

		Map<String, String> common = new HashMap<>();
		common.put("spring.r2dbc.url", stack.r2dbcUrl());
		common.put("spring.flyway.url", stack.jdbcUrl());
		common.put("spring.data.redis.host", stack.redisHost());
		common.put("spring.data.redis.port", String.valueOf(stack.redisPort()));
		common.put("spring.rabbitmq.host", stack.rabbitHost());
		common.put("spring.rabbitmq.port", String.valueOf(stack.rabbitPort()));
		common.put("spring.rabbitmq.virtual-host", stack.vhost());
		// one key signs the invitation links (notifier) and checks them (meeting-reactive)
		common.put("meeting.invitations.secret", INVITATION_SECRET);
		common.put("notifier.invitations.secret", INVITATION_SECRET);
		// eight services share the database server with everything else on the machine: small pools
		common.put("spring.r2dbc.pool.initial-size", "1");
		common.put("spring.r2dbc.pool.max-size", "6");
		List<String> jvm = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

		for (String name : List.of("a", "b")) {
			Path sideLogs = logs.resolve(name);
			int usersPort = TestStack.freePort();
			int meetingsPort = TestStack.freePort();
			int notifierPort = TestStack.freePort();
			FaultProxy brokerLink = FaultProxy.start("meeting-amqp-" + name, stack.rabbitHost(), stack.rabbitPort());
			ServiceProcess users = start(root, "user-reactive", usersPort, common, Map.of(), jvm, sideLogs);
			ServiceProcess meetings = start(root, "meeting-reactive", meetingsPort, common, Map.of(
					"meeting.user-service.base-url", "http://127.0.0.1:" + usersPort,
					"meeting.cache.key-prefix", stack.redisKeyPrefix(),
					"meeting.outbox.relay-interval", "1s",
					"meeting.outbox.claim-lease", "10s",
					"meeting.stream.subscriber-buffer", "4096",
					"meeting.gateway-token", SERVICE_TOKEN,
					"spring.rabbitmq.host", brokerLink.host(),
					"spring.rabbitmq.port", String.valueOf(brokerLink.port())), jvm, sideLogs);
			ServiceProcess notifier = start(root, "notifier-reactive", notifierPort, common, Map.of(
					"notifier.smtp.host", "127.0.0.1",
					"notifier.smtp.port", String.valueOf(mail.getSmtp().getPort())), jvm, sideLogs);
			ServiceProcess gateway = start(root, "gateway", TestStack.freePort(), common, Map.of(
					"gateway.meeting-service-url", "http://127.0.0.1:" + meetingsPort,
					"gateway.user-service-url", "http://127.0.0.1:" + usersPort,
					"gateway.notifier-service-url", "http://127.0.0.1:" + notifierPort,
					"gateway.redis-key-prefix", stack.redisKeyPrefix(),
					"gateway.rate-limit.burst-capacity", String.valueOf(BURST),
					"gateway.rate-limit.replenish-rate", String.valueOf(REPLENISH_PER_SECOND),
					"gateway.jwt.secret", JWT_SECRET,
					"gateway.service-token", SERVICE_TOKEN), jvm, sideLogs);
			sides.add(new Side(name, gateway, meetings, users, notifier, brokerLink));
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this::close, "scale-out-system-stop"));
		// eight JVMs starting at once on two busy cores: one deadline for all of them
		Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
		try {
			for (ServiceProcess service : all) {
				service.awaitReady(Duration.between(Instant.now(), deadline));
			}
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	Side a() {
		return sides.get(0);
	}

	Side b() {
		return sides.get(1);
	}

	/** Every service process, for their CPU time and memory. */
	List<ServiceProcess> processes() {
		return List.copyOf(all);
	}

	String token(String userId) {
		return Jwt.hs256(JWT_SECRET, userId);
	}

	@Override
	public void close() {
		if (closed.getAndSet(true)) {
			return;
		}
		all.parallelStream().filter(ServiceProcess::isAlive).forEach(ServiceProcess::close);
		sides.forEach((side) -> side.meetingBrokerLink().close());
		mail.stop();
	}

	private ServiceProcess start(Path root, String module, int port, Map<String, String> common,
			Map<String, String> own, List<String> jvm, Path logs) throws IOException {
		Map<String, String> properties = new HashMap<>(common);
		properties.putAll(own);
		ServiceProcess process = ServiceProcess.start(root, module, port, properties, jvm, logs);
		all.add(process);
		return process;
	}

}
