package dev.seed.meetings.notifier;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line-level SMTP proxy in front of the test's mail server, for what the mail server cannot do by itself: answer
 * slowly (a pause before the end of each message), refuse recipients with 550, be down and come back on the same
 * port, and measure how many messages are being transferred at the same time.
 */
final class SmtpProxy implements AutoCloseable {

	private final int port;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Set<String> refusedRecipients = ConcurrentHashMap.newKeySet();

	private final AtomicInteger transfers = new AtomicInteger();

	private final AtomicInteger maxTransfers = new AtomicInteger();

	private final AtomicInteger sessions = new AtomicInteger();

	private final AtomicInteger maxSessions = new AtomicInteger();

	private volatile Duration messageDelay = Duration.ZERO;

	private volatile boolean busy;

	private volatile ServerSocket server;

	SmtpProxy(int port, int targetPort) {
		this.port = port;
		this.targetPort = targetPort;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	synchronized void up() {
		if (this.server != null) {
			return;
		}
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = socket;
			Thread acceptor = new Thread(() -> accept(socket), "smtp-proxy-accept");
			acceptor.setDaemon(true);
			acceptor.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Refuses new connections (connection refused) and drops the open ones, as a crashed server would. */
	synchronized void down() {
		closeQuietly(this.server);
		this.server = null;
		this.sockets.forEach(SmtpProxy::closeQuietly);
		this.sockets.clear();
	}

	void reset() {
		this.messageDelay = Duration.ZERO;
		this.busy = false;
		this.refusedRecipients.clear();
		this.maxTransfers.set(0);
		this.maxSessions.set(this.sessions.get());
		up();
	}

	/**
	 * Greets every new session with {@code 421} and closes it, as a server too busy or shutting down does; the
	 * sessions open when it starts are dropped (a pooled connection would otherwise go on delivering).
	 */
	synchronized void busy(boolean busy) {
		this.busy = busy;
		if (busy) {
			this.sockets.forEach(SmtpProxy::closeQuietly);
			this.sockets.clear();
		}
	}

	void delayEachMessage(Duration delay) {
		this.messageDelay = delay;
	}

	void refuse(String recipient) {
		this.refusedRecipients.add(recipient.toLowerCase(Locale.ROOT));
	}

	/** The most messages seen between DATA and the end of their content at the same time. */
	int maxConcurrentTransfers() {
		return this.maxTransfers.get();
	}

	int maxConcurrentSessions() {
		return this.maxSessions.get();
	}

	private void accept(ServerSocket socket) {
		while (!socket.isClosed()) {
			try {
				Socket client = socket.accept();
				Thread session = new Thread(() -> serve(client), "smtp-proxy-session");
				session.setDaemon(true);
				session.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket client) {
		if (this.busy) {
			try (client) {
				client.getOutputStream().write("421 4.3.2 Service not available, try later\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// the client went first
			}
			return;
		}
		this.sockets.add(client);
		raise(this.sessions.incrementAndGet(), this.maxSessions);
		try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.targetPort)) {
			this.sockets.add(upstream);
			Thread replies = new Thread(() -> pump(upstream, client), "smtp-proxy-replies");
			replies.setDaemon(true);
			replies.start();
			relayCommands(client, upstream);
		}
		catch (IOException ex) {
			// a dropped connection ends the session, exactly as with a real server
		}
		finally {
			this.sessions.decrementAndGet();
			this.sockets.remove(client);
		}
	}

	private void relayCommands(Socket client, Socket upstream) throws IOException {
		InputStream in = new BufferedInputStream(client.getInputStream());
		OutputStream toServer = upstream.getOutputStream();
		OutputStream toClient = client.getOutputStream();
		boolean inData = false;
		byte[] line;
		while ((line = readLine(in)) != null) {
			String text = new String(line, StandardCharsets.US_ASCII).strip();
			if (inData) {
				if (text.equals(".")) {
					pause();
					this.transfers.decrementAndGet();
					inData = false;
				}
			}
			else if (text.toUpperCase(Locale.ROOT).startsWith("RCPT TO:") && refused(text)) {
				synchronized (toClient) {
					toClient.write("550 5.1.1 Recipient refused by the test\r\n".getBytes(StandardCharsets.US_ASCII));
					toClient.flush();
				}
				continue;
			}
			else if (text.equalsIgnoreCase("DATA")) {
				raise(this.transfers.incrementAndGet(), this.maxTransfers);
				inData = true;
			}
			toServer.write(line);
			toServer.flush();
		}
		if (inData) {
			this.transfers.decrementAndGet();
		}
	}

	private boolean refused(String rcptCommand) {
		String address = rcptCommand.substring(rcptCommand.indexOf(':') + 1).replaceAll("[<>\\s]", "");
		return this.refusedRecipients.contains(address.toLowerCase(Locale.ROOT));
	}

	private void pause() {
		try {
			Thread.sleep(this.messageDelay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void pump(Socket from, Socket to) {
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				synchronized (out) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// either side closed
		}
		finally {
			closeQuietly(to);
			this.sockets.remove(from);
		}
	}

	private static byte[] readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(128);
		int b;
		while ((b = in.read()) >= 0) {
			line.write(b);
			if (b == '\n') {
				return line.toByteArray();
			}
		}
		return (line.size() > 0) ? line.toByteArray() : null;
	}

	private static void raise(int value, AtomicInteger max) {
		max.accumulateAndGet(value, Math::max);
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
	}

	@Override
	public void close() {
		down();
	}

}
