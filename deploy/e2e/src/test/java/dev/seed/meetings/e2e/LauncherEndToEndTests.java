package dev.seed.meetings.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code deploy/run.sh --standalone} as a person runs it, with the services' real jars and the local profile, on
 * ports of its own: nothing it starts accepts a connection on an address other than loopback, and when one of its
 * services dies the launcher names it and stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherEndToEndTests {

	private static final Pattern LISTENING = Pattern.compile("(?:on |http://)127\\.0\\.0\\.1:(\\d+)");

	private static final List<String> output = new CopyOnWriteArrayList<>();

	private static final Map<String, Integer> ports = new HashMap<>();

	private static Process launcher;

	@BeforeAll
	static void startTheLauncher() throws IOException {
		Path workDir = Files.createTempDirectory("launcher-e2e");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				"dev.seed.meetings.local.LocalSystem", "--standalone");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("SEED_LOCAL_DIR", workDir.toString());
		int next = 18740;
		for (String variable : List.of("GATEWAY_PORT", "MEETING_REACTIVE_PORT", "USER_REACTIVE_PORT",
				"NOTIFIER_REACTIVE_PORT", "SEED_PG_PORT", "SEED_REDIS_PORT", "SEED_RABBIT_PORT", "SEED_SMTP_PORT",
				"SEED_MAIL_PAGE_PORT")) {
			next = freeFrom(next);
			ports.put(variable, next);
			builder.environment().put(variable, String.valueOf(next++));
		}
		builder.environment().remove("SEED_BIND_ADDRESS");
		launcher = builder.start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
				lines.lines().forEach(output::add);
			}
			catch (IOException ended) {
				// the launcher stopped
			}
		}, "launcher-output");
		reader.setDaemon(true);
		reader.start();
		await().atMost(Duration.ofMinutes(8))
			.until(() -> output.stream().anyMatch(line -> line.startsWith("[local] Ready in")) || !launcher.isAlive());
		assertThat(output).as("the launcher's story").anyMatch(line -> line.startsWith("[local] Ready in"));
	}

	@AfterAll
	static void stopTheLauncher() throws InterruptedException {
		if (launcher != null && launcher.isAlive()) {
			launcher.destroy();
			if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
				launcher.descendants().forEach(ProcessHandle::destroyForcibly);
				launcher.destroyForcibly();
			}
		}
	}

	/**
	 * Every port the launcher says something listens on (the four services, the stand-ins, the mail page) is bound
	 * to loopback only: it answers on 127.0.0.1, refuses a connection on this machine's other addresses, and the
	 * kernel lists no other local address for it.
	 */
	@Test // #21
	@Order(1)
	void nothingListensBeyondLoopback() throws Exception {
		List<Integer> listening = new ArrayList<>();
		for (String line : output) {
			Matcher matcher = LISTENING.matcher(line);
			while (matcher.find()) {
				listening.add(Integer.parseInt(matcher.group(1)));
			}
		}
		assertThat(listening).containsAll(ports.values());
		Optional<InetAddress> outside = nonLoopbackAddress();
		for (int port : listening) {
			assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:" + port).isTrue();
			if (outside.isPresent()) {
				assertThat(connects(outside.get(), port)).as(outside.get() + ":" + port).isFalse();
			}
			assertThat(boundAddresses(port)).as("bound addresses of " + port)
				.isNotEmpty()
				.allMatch(address -> address.startsWith("127.0.0.1:") || address.startsWith("[::ffff:127.0.0.1]:")
						|| address.startsWith("[::1]:"));
		}
	}

	/** A service that dies is named, with its log, and the launcher stops everything and exits non-zero in 15 s. */
	@Test // #21
	@Order(2)
	void aServiceThatDiesStopsTheLauncherNamingIt() throws Exception {
		ProcessHandle users = launcher.descendants()
			.filter(process -> process.info().commandLine().orElse("").contains("user-reactive"))
			.findFirst()
			.orElseThrow();
		Instant killed = Instant.now();
		users.destroyForcibly();

		assertThat(launcher.waitFor(15, TimeUnit.SECONDS)).as("exited within 15 s").isTrue();
		assertThat(launcher.exitValue()).isNotZero();
		assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(15));
		assertThat(output).anySatisfy(line -> assertThat(line).startsWith("[local] FAILED: user-reactive exited"));
		assertThat(output).anySatisfy(line -> assertThat(line).startsWith("  | "));
		assertThat(launcher.descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
	}

	private static boolean connects(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The local addresses the kernel has a listener on for the port ({@code ss -ltn}). */
	private static List<String> boundAddresses(int port) throws IOException, InterruptedException {
		Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
		String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(ss.waitFor(5, TimeUnit.SECONDS)).isTrue();
		return out.lines().map(line -> line.trim().split("\\s+")).filter(fields -> fields.length >= 4)
			.map(fields -> fields[3]).toList();
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
		return NetworkInterface.networkInterfaces()
			.filter(network -> {
				try {
					return network.isUp() && !network.isLoopback();
				}
				catch (IOException ex) {
					return false;
				}
			})
			.flatMap(NetworkInterface::inetAddresses)
			.filter(Inet4Address.class::isInstance)
			.findFirst();
	}

	private static int freeFrom(int port) {
		for (int candidate = port; candidate < 18800; candidate++) {
			try (ServerSocket socket = new ServerSocket(candidate)) {
				return candidate;
			}
			catch (IOException taken) {
				// next
			}
		}
		throw new IllegalStateException("no free port from " + port + " to 18799");
	}

}
