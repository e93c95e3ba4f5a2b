package dev.seed.meetings.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a service, run as a child process by the tests: it answers {@code /actuator/health} on
 * 127.0.0.1 and then, as its second argument says, keeps running ({@code steady}), exits with code 3 after some
 * milliseconds ({@code die-after:N}), exits before it ever answers ({@code die-early}) or starts answering 503
 * ({@code unhealthy-after:N}).
 */
public final class FakeService {

	private FakeService() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String mode = args[1];
		System.out.println("fake service starting on " + port + " (" + mode + ")");
		if (mode.equals("die-early")) {
			Thread.sleep(500);
			System.out.println("boom: cannot start");
			System.exit(3);
		}
		AtomicBoolean healthy = new AtomicBoolean(true);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/actuator/health", exchange -> {
			byte[] body = (healthy.get() ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}").getBytes();
			exchange.sendResponseHeaders(healthy.get() ? 200 : 503, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		System.out.println("fake service ready");
		if (mode.startsWith("die-after:")) {
			Thread.sleep(Long.parseLong(mode.substring("die-after:".length())));
			System.out.println("boom: giving up");
			System.exit(3);
		}
		if (mode.startsWith("unhealthy-after:")) {
			Thread.sleep(Long.parseLong(mode.substring("unhealthy-after:".length())));
			System.out.println("lost my database");
			healthy.set(false);
		}
		Thread.currentThread().join();
	}

	/** Starts one as a child process of the test JVM, with its output in {@code log}. */
	static ServiceProcess start(String name, int port, String mode, java.nio.file.Path log) throws IOException {
		Process process = new ProcessBuilder(TestPorts.java(), "-cp", TestPorts.classPath(),
				FakeService.class.getName(), String.valueOf(port), mode)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new ServiceProcess(name, port, process, log);
	}

}
