package dev.seed.meetings.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a free local port in front of a real server, for tests that need the network to fail: {@link #cut()}
 * drops every connection and closes new ones on arrival, {@link #stall()} keeps connections open but holds every
 * byte, {@link #delay(Duration)} slows each chunk, {@link #heal()} restores normal forwarding (held bytes then flow).
 * <p>
 * Plain blocking sockets on daemon threads of its own, so that it never runs on a thread that must not block.
 */
public final class FaultProxy implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

	private static final int CHUNK = 16 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private enum Mode {

		OPEN, STALLED, CUT

	}

	private final String name;

	private final InetSocketAddress upstream;

	private final ServerSocket server;

	private final ExecutorService threads;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicLong accepted = new AtomicLong();

	private final Object gate = new Object();

	private volatile Mode mode = Mode.OPEN;

	private volatile long delayNanos;

	private volatile boolean closed;

	private FaultProxy(String name, String upstreamHost, int upstreamPort, int listenPort) {
		this.name = name;
		this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
		try {
			this.server = new ServerSocket(listenPort, 128, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open a local port for proxy " + name, ex);
		}
		this.threads = Executors.newCachedThreadPool(daemon("fault-proxy-" + name));
		this.threads.execute(this::acceptLoop);
		log.info("Fault proxy {} on {}:{} -> {}", name, host(), port(), this.upstream);
	}

	/** Starts a proxy in front of {@code host:port}; {@code name} only shows in thread names and logs. */
	public static FaultProxy start(String name, String host, int port) {
		return start(name, host, port, 0);
	}

	/** As {@link #start(String, String, int)}, listening on {@code listenPort} of the loopback address. */
	public static FaultProxy start(String name, String host, int port, int listenPort) {
		return new FaultProxy(name, host, port, listenPort);
	}

	/** Where clients should connect instead of the real server. */
	public String host() {
		return this.server.getInetAddress().getHostAddress();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Closes every current connection; new ones are accepted and closed at once until {@link #heal()}. */
	public void cut() {
		this.mode = Mode.CUT;
		wakeUp();
		this.links.forEach(Link::close);
		log.info("Fault proxy {}: cut", this.name);
	}

	/** Keeps connections (current and new) open but forwards nothing until {@link #heal()}. */
	public void stall() {
		this.mode = Mode.STALLED;
		log.info("Fault proxy {}: stalled", this.name);
	}

	/** Waits this long before forwarding each chunk, in both directions ({@link Duration#ZERO}: no delay). */
	public void delay(Duration perChunk) {
		this.delayNanos = perChunk.toNanos();
	}

	/** Forwards normally again: bytes held by a stall are released, a cut no longer closes new connections. */
	public void heal() {
		this.mode = Mode.OPEN;
		this.delayNanos = 0;
		wakeUp();
		log.info("Fault proxy {}: healed", this.name);
	}

	/** Connections open through the proxy right now. */
	public int connectionCount() {
		return this.links.size();
	}

	/** Connections accepted since the start, including those a cut closed on arrival. */
	public long acceptedCount() {
		return this.accepted.get();
	}

	@Override
	public void close() {
		this.closed = true;
		wakeUp();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			log.debug("Closing proxy {}: {}", this.name, ex.toString());
		}
		this.links.forEach(Link::close);
		this.threads.shutdownNow();
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				if (!this.closed) {
					log.warn("Fault proxy {} stopped accepting: {}", this.name, ex.toString());
				}
				return;
			}
			this.accepted.incrementAndGet();
			if (this.mode == Mode.CUT) {
				closeQuietly(client);
				continue;
			}
			this.threads.execute(() -> connect(client));
		}
	}

	private void connect(Socket client) {
		Socket server = new Socket();
		try {
			client.setTcpNoDelay(true);
			server.setTcpNoDelay(true);
			server.connect(this.upstream, CONNECT_TIMEOUT_MILLIS);
		}
		catch (IOException ex) {
			log.warn("Fault proxy {} cannot reach {}: {}", this.name, this.upstream, ex.toString());
			closeQuietly(client);
			closeQuietly(server);
			return;
		}
		Link link = new Link(client, server);
		this.links.add(link);
		// a cut that came while connecting must not let this connection through
		if (this.mode == Mode.CUT || this.closed) {
			link.close();
			return;
		}
		this.threads.execute(() -> pump(link, client, server));
		this.threads.execute(() -> pump(link, server, client));
	}

	private void pump(Link link, Socket from, Socket to) {
		byte[] buffer = new byte[CHUNK];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (!awaitForwarding(link)) {
					break;
				}
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (SocketException ex) {
			// the other pump or a cut closed the link
		}
		catch (IOException ex) {
			log.debug("Fault proxy {}: {}", this.name, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			link.close();
		}
	}

	/** Holds a chunk while stalled and for the configured delay; false when the link must be dropped. */
	private boolean awaitForwarding(Link link) throws InterruptedException {
		synchronized (this.gate) {
			while (this.mode == Mode.STALLED && !this.closed && !link.isClosed()) {
				this.gate.wait(100);
			}
		}
		long delay = this.delayNanos;
		if (delay > 0) {
			Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
		}
		return this.mode != Mode.CUT && !this.closed && !link.isClosed();
	}

	private void wakeUp() {
		synchronized (this.gate) {
			this.gate.notifyAll();
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to do with it
		}
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** Both sockets of one proxied connection, closed together. */
	private final class Link {

		private final Socket client;

		private final Socket server;

		private volatile boolean closed;

		Link(Socket client, Socket server) {
			this.client = client;
			this.server = server;
		}

		boolean isClosed() {
			return this.closed;
		}

		void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			FaultProxy.this.links.remove(this);
			closeQuietly(this.client);
			closeQuietly(this.server);
		}

	}

}
