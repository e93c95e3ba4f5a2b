import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The stand-ins and probes of the benchmark, one single-file program (run with {@code java -cp <amqp-client>
 * BenchTools.java <command> ...}):
 * <ul>
 * <li>{@code user-stub PORT DELAY_MS}: a user service that knows every id and answers {@code GET /api/users/{id}}
 * after DELAY_MS;</li>
 * <li>{@code smtp-sink PORT DELAY_MS STATS_PORT}: an SMTP server that takes DELAY_MS to accept each message and
 * counts them ({@code GET http://127.0.0.1:STATS_PORT/stats}, {@code /reset}; {@code /delay?ms=N} changes the
 * delay);</li>
 * <li>{@code confirm-loop AMQP_URI PUBLISHERS SECONDS}: confirmed persistent publishes, each publisher waiting for
 * its confirm before the next one, as a booking does;</li>
 * <li>{@code confirm-latency AMQP_URI RATE SECONDS}: one confirmed persistent publish every 1/RATE s, each waiting
 * for its confirm, and the latencies of the confirms (the raw work's tail at a booking rate);</li>
 * <li>{@code publish-events AMQP_URI EVENTS ATTENDEES}: MeetingCreated events straight to exchange
 * {@code meeting.events}, routing key {@code meeting.created};</li>
 * <li>{@code fanout URL BOOKINGS ATTENDEES GATEWAY_TOKEN}: bookings one after the other, each with ATTENDEES ids
 * nobody has asked for before (so every lookup misses the cache), and their latencies; the organizer goes in
 * {@code X-User-Id} with the gateway's token, as the gateway sends it.</li>
 * <li>{@code stall-meter FILE}: a thread that asks to sleep 1 ms, over and over, and appends to FILE each wake-up that
 * came 20 ms or more late ({@code epoch-ms late-ms}): a thread ready to run waited that long for a core, because
 * the cores were busy (the services and the load generator included) or because the machine itself was held back
 * (the VM's host). It allocates nothing between two reports, so its own GC does not run.</li>
 * </ul>
 */
public class BenchTools {

	private static final int FANOUT_WARM_UP_SECONDS = 15;

	private static final int FANOUT_WARM_UP_CLIENTS = 8;

	public static void main(String[] args) throws Exception {
		// the JDK's HTTP server leaves Nagle on: a response written as headers then body waits for the client's
		// delayed ACK (40 ms on Linux) on every keep-alive request, which a real service does not do
		System.setProperty("sun.net.httpserver.nodelay", "true");
		if (args.length == 0) {
			throw new IllegalArgumentException("command: user-stub | smtp-sink | confirm-loop | confirm-latency | publish-events | fanout | stall-meter");
		}
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		switch (args[0]) {
			case "user-stub" -> userStub(Integer.parseInt(rest[0]), Long.parseLong(rest[1]));
			case "smtp-sink" -> smtpSink(Integer.parseInt(rest[0]), Long.parseLong(rest[1]), Integer.parseInt(rest[2]));
			case "confirm-loop" -> confirmLoop(rest[0], Integer.parseInt(rest[1]), Integer.parseInt(rest[2]));
			case "confirm-latency" -> confirmLatency(rest[0], Integer.parseInt(rest[1]), Integer.parseInt(rest[2]));
			case "publish-events" -> publishEvents(rest[0], Integer.parseInt(rest[1]), Integer.parseInt(rest[2]));
			case "fanout" -> fanout(rest[0], Integer.parseInt(rest[1]), Integer.parseInt(rest[2]), rest[3]);
			case "stall-meter" -> stallMeter(Path.of(rest[0]));
			default -> throw new IllegalArgumentException("unknown command " + args[0]);
		}
	}

	// ---- the machine's own stalls

	static void stallMeter(Path file) throws IOException, InterruptedException {
		long reportFromNanos = TimeUnit.MILLISECONDS.toNanos(20);
		try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.US_ASCII)) {
			long before = System.nanoTime();
			while (true) {
				Thread.sleep(1);
				long now = System.nanoTime();
				long late = now - before - TimeUnit.MILLISECONDS.toNanos(1);
				if (late >= reportFromNanos) {
					out.println(System.currentTimeMillis() + " " + TimeUnit.NANOSECONDS.toMillis(late));
				}
				before = now;
			}
		}
	}

	// ---- a slow user service

	static void userStub(int port, long delayMillis) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
		// a thread per waiting lookup is what a slow dependency looks like from the caller's side
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/api/users/", (exchange) -> {
			sleep(delayMillis);
			String userId = exchange.getRequestURI().getPath().substring("/api/users/".length());
			respond(exchange, 200, "{\"userId\":\"" + userId + "\",\"name\":\"Stub " + userId + "\",\"email\":\"" + userId
					+ "@stub.example.com\",\"timezone\":\"UTC\"}");
		});
		server.start();
		System.out.printf("user-stub: http://127.0.0.1:%d/api/users/{id} answers after %d ms%n", port, delayMillis);
	}

	// ---- a slow SMTP sink

	static void smtpSink(int port, long initialDelayMillis, int statsPort) throws IOException {
		AtomicLong delayMillis = new AtomicLong(initialDelayMillis);
		LongAdder messages = new LongAdder();
		LongAdder recipients = new LongAdder();
		AtomicLong first = new AtomicLong();
		AtomicLong last = new AtomicLong();
		HttpServer stats = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), statsPort), 64);
		stats.createContext("/stats", (exchange) -> respond(exchange, 200,
				"{\"messages\":" + messages.sum() + ",\"recipients\":" + recipients.sum() + ",\"firstMillis\":"
						+ first.get() + ",\"lastMillis\":" + last.get() + "}"));
		// GET /delay?ms=N: from the next message on, each one takes N ms (a warm notifier is then measured as it is)
		stats.createContext("/delay", (exchange) -> {
			String query = String.valueOf(exchange.getRequestURI().getQuery());
			delayMillis.set(Long.parseLong(query.replaceFirst("^ms=", "")));
			respond(exchange, 200, "{\"delayMillis\":" + delayMillis.get() + "}");
		});
		stats.createContext("/reset", (exchange) -> {
			messages.reset();
			recipients.reset();
			first.set(0);
			last.set(0);
			respond(exchange, 200, "{}");
		});
		stats.start();
		ServerSocket server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
		ExecutorService sessions = Executors.newCachedThreadPool();
		System.out.printf("smtp-sink: 127.0.0.1:%d, %d ms per message, stats on http://127.0.0.1:%d/stats%n", port,
				delayMillis.get(), statsPort);
		while (true) {
			Socket socket = server.accept();
			socket.setTcpNoDelay(true);
			sessions.execute(() -> {
				try (socket) {
					smtpSession(socket, delayMillis, () -> {
						long now = System.currentTimeMillis();
						first.compareAndSet(0, now);
						last.set(now);
						messages.increment();
					}, recipients);
				}
				catch (IOException ex) {
					// the client went away: nothing to count
				}
			});
		}
	}

	private static void smtpSession(Socket socket, AtomicLong delayMillis, Runnable accepted, LongAdder recipients)
			throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		PrintStream out = new PrintStream(socket.getOutputStream(), false, StandardCharsets.UTF_8);
		reply(out, "220 bench-sink ESMTP");
		String line;
		while ((line = in.readLine()) != null) {
			String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
			switch (verb) {
				case "EHLO" -> reply(out, "250-bench-sink\r\n250-8BITMIME\r\n250-SIZE 52428800\r\n250 SMTPUTF8");
				case "HELO" -> reply(out, "250 bench-sink");
				case "RCPT" -> {
					recipients.increment();
					reply(out, "250 OK");
				}
				case "DATA" -> {
					reply(out, "354 End data with <CR><LF>.<CR><LF>");
					while ((line = in.readLine()) != null && !line.equals(".")) {
						// the message is not kept
					}
					sleep(delayMillis.get());
					accepted.run();
					reply(out, "250 OK queued");
				}
				case "QUIT" -> {
					reply(out, "221 Bye");
					return;
				}
				default -> reply(out, "250 OK");
			}
		}
	}

	private static void reply(PrintStream out, String text) {
		out.print(text + "\r\n");
		out.flush();
	}

	// ---- RabbitMQ: the raw cost of a confirmed publish, and events for the notifier

	static void confirmLoop(String uri, int publishers, int seconds) throws Exception {
		ConnectionFactory factory = factory(uri);
		String queue = "bench.confirms." + UUID.randomUUID();
		byte[] body = new byte[1024];
		Arrays.fill(body, (byte) 'x');
		try (Connection connection = factory.newConnection("bench-confirm-loop")) {
			try (Channel admin = connection.createChannel()) {
				admin.queueDeclare(queue, true, false, false, Map.of());
			}
			LongAdder confirmed = new LongAdder();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			ExecutorService pool = Executors.newFixedThreadPool(publishers);
			long start = System.nanoTime();
			for (int p = 0; p < publishers; p++) {
				pool.execute(() -> {
					try (Channel channel = connection.createChannel()) {
						channel.confirmSelect();
						AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
							.contentType("application/json")
							.build();
						while (System.nanoTime() < deadline) {
							channel.basicPublish("", queue, persistent, body);
							channel.waitForConfirmsOrDie(5_000);
							confirmed.increment();
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
			}
			pool.shutdown();
			pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
			double elapsed = (System.nanoTime() - start) / 1e9;
			try (Channel admin = connection.createChannel()) {
				admin.queueDelete(queue);
			}
			System.out.printf("confirms_per_s=%.0f publishers=%d seconds=%.1f%n", confirmed.sum() / elapsed, publishers,
					elapsed);
		}
	}

	static void confirmLatency(String uri, int rate, int seconds) throws Exception {
		String queue = "bench.confirms." + UUID.randomUUID();
		byte[] body = new byte[1024];
		Arrays.fill(body, (byte) 'x');
		try (Connection connection = factory(uri).newConnection("bench-confirm-latency");
				Channel channel = connection.createChannel()) {
			channel.queueDeclare(queue, true, false, false, Map.of());
			channel.confirmSelect();
			AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2)
				.contentType("application/json")
				.build();
			long[] micros = new long[rate * seconds];
			long interval = TimeUnit.SECONDS.toNanos(1) / rate;
			long next = System.nanoTime();
			for (int i = 0; i < micros.length; i++) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				long sent = System.nanoTime();
				channel.basicPublish("", queue, persistent, body);
				channel.waitForConfirmsOrDie(5_000);
				micros[i] = (System.nanoTime() - sent) / 1_000;
				next += interval;
			}
			channel.queueDelete(queue);
			Arrays.sort(micros);
			System.out.printf("confirm_latency_ms: p50=%.1f p99=%.1f max=%.1f publishes=%d rate=%d/s%n",
					micros[micros.length / 2] / 1e3, micros[(int) (micros.length * 0.99)] / 1e3,
					micros[micros.length - 1] / 1e3, micros.length, rate);
		}
	}

	static void publishEvents(String uri, int events, int attendees) throws Exception {
		try (Connection connection = factory(uri).newConnection("bench-publisher");
				Channel channel = connection.createChannel()) {
			// the same topology as the services declare, so that the events wait in the queue for the notifier
			channel.exchangeDeclare("meeting.events", BuiltinExchangeType.TOPIC, true);
			channel.queueDeclare("notification.meeting.created", true, false, false, Map.of());
			channel.queueBind("notification.meeting.created", "meeting.events", "meeting.created");
			channel.confirmSelect();
			String run = Long.toString(System.currentTimeMillis(), 36);
			OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0);
			for (int e = 0; e < events; e++) {
				String eventId = UUID.randomUUID().toString();
				StringBuilder people = new StringBuilder();
				for (int a = 0; a < attendees; a++) {
					String userId = "nb-" + run + "-" + e + "-" + a;
					people.append(a == 0 ? "" : ",")
						.append("{\"userId\":\"" + userId + "\",\"name\":\"Bench " + a + "\",\"email\":\"" + userId
								+ "@bench.example.com\"}");
				}
				String json = "{\"eventId\":\"" + eventId + "\",\"type\":\"MeetingCreated\",\"occurredAt\":\""
						+ Instant.now() + "\",\"meetingId\":\"" + UUID.randomUUID() + "\",\"title\":\"Bench " + e
						+ "\",\"startAt\":\"" + start + "\",\"endAt\":\"" + start.plusHours(1)
						+ "\",\"location\":\"Room 1\",\"organizerId\":\"nb-organizer\",\"attendees\":[" + people + "]}";
				channel.basicPublish("meeting.events", "meeting.created",
						new AMQP.BasicProperties.Builder().deliveryMode(2)
							.contentType("application/json")
							.messageId(eventId)
							.build(),
						json.getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(30_000);
			System.out.printf("published=%d attendees_each=%d%n", events, attendees);
		}
	}

	private static ConnectionFactory factory(String uri) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(uri);
		factory.setConnectionTimeout(5_000);
		return factory;
	}

	// ---- fan-out: one booking's latency when every attendee lookup is a miss

	static void fanout(String url, int bookings, int attendees, String gatewayToken) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String run = Long.toString(System.currentTimeMillis(), 36);
		// a fresh instance: its first bookings run code the JIT has not compiled yet and open the connections. Some
		// seconds of concurrent bookings first (thousands of lookups), then one booking at a time is measured
		AtomicInteger next = new AtomicInteger();
		long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(FANOUT_WARM_UP_SECONDS);
		ExecutorService workers = Executors.newFixedThreadPool(FANOUT_WARM_UP_CLIENTS);
		List<Future<?>> warmUps = new ArrayList<>();
		for (int w = 0; w < FANOUT_WARM_UP_CLIENTS; w++) {
			warmUps.add(workers.submit(() -> {
				while (System.nanoTime() < warmUpEnd) {
					book(http, fanoutBooking(url, run, next.getAndIncrement(), attendees, gatewayToken));
				}
				return null;
			}));
		}
		for (Future<?> warmUp : warmUps) {
			warmUp.get();
		}
		workers.shutdown();
		// the JIT goes on compiling what the warm-up made hot, and the servers finish its writes: one booking at a
		// time is a latency figure, measured once the cores are free again
		double busy = awaitQuietMachine();
		long[] millis = new long[bookings];
		for (int b = 0; b < bookings; b++) {
			millis[b] = book(http, fanoutBooking(url, run, next.getAndIncrement(), attendees, gatewayToken));
		}
		Arrays.sort(millis);
		System.out.printf(
				"fanout_ms_p50=%d fanout_ms_max=%d fanout_ms_min=%d bookings=%d attendees=%d warm_up_bookings=%d machine_busy_before=%.0f%%%n",
				millis[bookings / 2], millis[bookings - 1], millis[0], bookings, attendees, next.get() - bookings,
				100 * busy);
	}

	/**
	 * Waits, up to a minute, until the machine's cores have been under a fifth busy for three seconds in a row; gives
	 * the busy share of the last second.
	 */
	private static double awaitQuietMachine() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long[] before = cpuTicks();
		int quietSeconds = 0;
		double busy = 1;
		while (quietSeconds < 3 && System.nanoTime() < deadline) {
			Thread.sleep(1000);
			long[] now = cpuTicks();
			busy = (double) (now[0] - before[0]) / Math.max(1, now[1] - before[1]);
			quietSeconds = (busy < 0.2) ? quietSeconds + 1 : 0;
			before = now;
		}
		return busy;
	}

	/** Busy and total jiffies of all cores, from the first line of /proc/stat. */
	private static long[] cpuTicks() throws IOException {
		String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
		long total = 0;
		for (int i = 1; i < fields.length; i++) {
			total += Long.parseLong(fields[i]);
		}
		long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
		return new long[] { total - idle, total };
	}

	/** A booking whose attendee ids nobody has asked for before, so that every lookup misses the cache. */
	private static HttpRequest fanoutBooking(String url, String run, int index, int attendees, String gatewayToken) {
		StringBuilder ids = new StringBuilder();
		for (int a = 0; a < attendees; a++) {
			ids.append(a == 0 ? "\"" : ",\"").append("fo-" + run + "-" + index + "-" + a).append('"');
		}
		OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(14).withNano(0);
		String body = "{\"title\":\"Fan-out " + run + " " + index + "\",\"startAt\":\"" + start + "\",\"endAt\":\""
				+ start.plusHours(1) + "\",\"attendees\":[" + ids + "]}";
		return HttpRequest.newBuilder(URI.create(url + "/api/meetings"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-User-Id", "fo-organizer")
			.header("X-Gateway-Token", gatewayToken)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/** The booking's latency in milliseconds; anything but 201 stops the run. */
	private static long book(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
		if (response.statusCode() != 201) {
			throw new IllegalStateException("fan-out booking: " + response.statusCode() + " " + response.body());
		}
		return elapsed;
	}


	// ---- plumbing

	private static void respond(HttpExchange exchange, int status, String json) throws IOException {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
