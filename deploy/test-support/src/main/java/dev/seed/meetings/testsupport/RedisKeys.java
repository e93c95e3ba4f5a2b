package dev.seed.meetings.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Just enough RESP to remove a run's keys at exit without putting a Redis client on this module's path. */
final class RedisKeys {

	private RedisKeys() {
	}

	static void deleteByPrefix(String host, int port, String prefix) {
		try (Socket socket = new Socket(host, port)) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			String cursor = "0";
			do {
				send(out, "SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
				List<?> reply = (List<?>) read(in);
				cursor = (String) reply.get(0);
				List<?> keys = (List<?>) reply.get(1);
				if (!keys.isEmpty()) {
					List<String> del = new ArrayList<>();
					del.add("DEL");
					keys.forEach(key -> del.add((String) key));
					send(out, del.toArray(String[]::new));
					read(in);
				}
			}
			while (!"0".equals(cursor));
		}
		catch (IOException | RuntimeException ex) {
			// best effort: keys written by tests carry TTLs or die with a Redis restart
		}
	}

	private static void send(OutputStream out, String... args) throws IOException {
		StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
		}
		out.write(command.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static Object read(InputStream in) throws IOException {
		int type = in.read();
		String line = readLine(in);
		switch (type) {
			case '+', ':' -> {
				return line;
			}
			case '-' -> throw new IOException(line);
			case '$' -> {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = in.readNBytes(length + 2);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(line);
				List<Object> items = new ArrayList<>(Math.max(count, 0));
				for (int i = 0; i < count; i++) {
					items.add(read(in));
				}
				return items;
			}
			default -> throw new IOException("Unexpected reply type " + type);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\r') {
			if (c < 0) {
				throw new IOException("Connection closed");
			}
			line.append((char) c);
		}
		in.read();
		return line.toString();
	}

}
