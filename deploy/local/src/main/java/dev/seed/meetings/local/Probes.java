package dev.seed.meetings.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Whether a server answers its own protocol at an address: an open port alone proves nothing (RabbitMQ's web
 * console holds 15672, and any program may hold 5432).
 */
enum Probes {

	/** A JDBC connection that runs {@code SELECT 1}. */
	POSTGRESQL("PostgreSQL") {
		@Override
		boolean answers(String host, int port) {
			Properties login = new Properties();
			login.setProperty("user", "postgres");
			login.setProperty("connectTimeout", "2");
			login.setProperty("socketTimeout", "2");
			try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port
					+ "/postgres", login); Statement statement = connection.createStatement();
					ResultSet one = statement.executeQuery("SELECT 1")) {
				return one.next() && one.getInt(1) == 1;
			}
			catch (SQLException ex) {
				return false;
			}
		}
	},

	/** {@code PING}, answered {@code +PONG}. */
	REDIS("Redis") {
		@Override
		boolean answers(String host, int port) {
			return exchange(host, port, "PING\r\n".getBytes(StandardCharsets.US_ASCII), "+PONG", "QUIT\r\n");
		}
	},

	/**
	 * The AMQP 0-9-1 protocol header, answered by a {@code connection.start} method frame (type 1, channel 0,
	 * class 10, method 10).
	 */
	AMQP("AMQP") {
		@Override
		boolean answers(String host, int port) {
			byte[] header = { 'A', 'M', 'Q', 'P', 0, 0, 9, 1 };
			try (Socket socket = connect(host, port)) {
				socket.getOutputStream().write(header);
				byte[] frame = socket.getInputStream().readNBytes(11);
				return frame.length == 11 && frame[0] == 1 && frame[1] == 0 && frame[2] == 0 && frame[7] == 0
						&& frame[8] == 10 && frame[9] == 0 && frame[10] == 10;
			}
			catch (IOException ex) {
				return false;
			}
		}
	},

	/** The {@code 220} greeting a server sends first. */
	SMTP("SMTP") {
		@Override
		boolean answers(String host, int port) {
			return exchange(host, port, new byte[0], "220", "QUIT\r\n");
		}
	};

	private final String protocol;

	Probes(String protocol) {
		this.protocol = protocol;
	}

	String protocol() {
		return this.protocol;
	}

	abstract boolean answers(String host, int port);

	/** Sends the request, reads the expected start of the answer, and says goodbye so the server logs no error. */
	private static boolean exchange(String host, int port, byte[] request, String expectedStart, String goodbye) {
		try (Socket socket = connect(host, port)) {
			if (request.length > 0) {
				socket.getOutputStream().write(request);
			}
			InputStream in = socket.getInputStream();
			byte[] answer = in.readNBytes(expectedStart.length());
			boolean answers = new String(answer, StandardCharsets.US_ASCII).equals(expectedStart);
			if (answers) {
				sayGoodbye(socket, goodbye);
			}
			return answers;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void sayGoodbye(Socket socket, String goodbye) {
		try {
			socket.getOutputStream().write(goodbye.getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			socket.getInputStream().skip(Long.MAX_VALUE);
		}
		catch (IOException ignored) {
			// it answered already; how it hangs up does not matter
		}
	}

	private static Socket connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), 1000);
			socket.setSoTimeout(2000);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

}
