package dev.seed.meetings.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Ports for the tests' own listeners and launcher runs, from 18700-18799, never the same one twice in a JVM. */
final class TestPorts {

	private static final Set<Integer> given = ConcurrentHashMap.newKeySet();

	private TestPorts() {
	}

	static synchronized int free() {
		for (int port = 18700; port < 18800; port++) {
			if (!given.contains(port) && Ports.free(port)) {
				given.add(port);
				return port;
			}
		}
		throw new IllegalStateException("no free port in 18700-18799");
	}

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** The test class path (Surefire's own when it runs us through a manifest-only jar). */
	static String classPath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	/**
	 * A listener that holds a port the way RabbitMQ's web console holds 15672: it accepts connections and
	 * answers an HTTP 400 to whatever arrives, which is not the protocol the launcher looks for.
	 */
	static ServerSocket webConsole(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		Thread acceptor = new Thread(() -> {
			while (!socket.isClosed()) {
				try (Socket client = socket.accept()) {
					client.setSoTimeout(500);
					InputStream in = client.getInputStream();
					try {
						in.read(new byte[64]);
					}
					catch (IOException quiet) {
						// answer anyway
					}
					OutputStream out = client.getOutputStream();
					out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				catch (IOException closed) {
					// the test closed the socket
				}
			}
		}, "web-console-" + port);
		acceptor.setDaemon(true);
		acceptor.start();
		return socket;
	}

}
