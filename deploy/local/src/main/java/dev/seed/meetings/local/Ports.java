package dev.seed.meetings.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which ports are free on this machine, and who holds those that are not. */
final class Ports {

	private static final Pattern SS_PROCESS = Pattern.compile("users:\\(\\(\"([^\"]+)\",pid=(\\d+)");

	private Ports() {
	}

	/**
	 * Free when nothing listens on it on any address: a listener on 0.0.0.0, on 127.0.0.1 or on another
	 * interface would each make a wildcard bind fail.
	 */
	static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** {@code wanted} when it is free, else the next free port above it that is not {@code reserved}. */
	static int freeFrom(int wanted, Collection<Integer> reserved) {
		for (int port = wanted; port < Math.min(65536, wanted + 200); port++) {
			if (!reserved.contains(port) && free(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port in " + wanted + ".." + (wanted + 199));
	}

	/** Who listens on the port, as {@code ss -ltnp} tells it (the program and its pid when this user may see it). */
	static String holder(int port) {
		try {
			Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
			String out = new String(ss.getInputStream().readAllBytes());
			if (!ss.waitFor(3, TimeUnit.SECONDS) || ss.exitValue() != 0 || out.isBlank()) {
				return "another program";
			}
			Matcher process = SS_PROCESS.matcher(out);
			return process.find() ? process.group(1) + " (pid " + process.group(2) + ")" : "another program";
		}
		catch (IOException ex) {
			return "another program";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "another program";
		}
	}

}
