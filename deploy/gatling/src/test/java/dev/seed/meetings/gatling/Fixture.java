package dev.seed.meetings.gatling;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The part of a run that is not load: the user pool (seeded through {@code POST /api/users}, where 409 means it is
 * there already), a credential per pool user, and the bookings' bodies. Plain {@code java.net.http}, so that it runs
 * in {@code before()}, outside of Gatling's engine.
 */
final class Fixture {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern MEETING_ID = Pattern.compile("\"meetingId\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

	private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

	/** Seeding stays gentle: the pool is set up before the load, not as part of it. */
	private static final int SEED_CONCURRENCY = 8;

	private final LoadSettings settings;

	// HTTP/1.1 as the load itself: the JDK client's default asks to upgrade every plain connection to HTTP/2
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final Map<String, String> credentials = new HashMap<>();

	private final String runId = Long.toString(System.currentTimeMillis(), 36);

	private final AtomicLong titles = new AtomicLong();

	Fixture(LoadSettings settings) {
		this.settings = settings;
	}

	/** Creates the pool users that are missing (unless told they are there) and obtains a credential for each one. */
	void prepare() {
		List<String> userIds = Stream.iterate(1, (i) -> i + 1)
			.limit(this.settings.users())
			.map(this.settings::userId)
			.toList();
		for (String userId : userIds) {
			this.credentials.put(userId, credential(userId));
		}
		if (this.settings.seed()) {
			inBatches(userIds, this::createUser);
		}
		System.out.printf("Fixture: %d users %s at %s (%s credentials)%n", userIds.size(),
				this.settings.seed() ? "ready" : "assumed seeded", this.settings.usersUrl(),
				this.settings.auth().name().toLowerCase());
	}

	/** Books {@code count} meetings outside of the measured load and returns them with their organizers. */
	List<Booked> bookMeetings(int count) {
		List<Booked> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Map<String, Object> booking = nextBooking();
			HttpResponse<String> response = send(authorized(
					HttpRequest.newBuilder(this.settings.baseUrl().resolve("/api/meetings")), (String) booking.get("organizer"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString((String) booking.get("body")))
				.build());
			Matcher id = MEETING_ID.matcher(response.body());
			if (response.statusCode() != 201 || !id.find()) {
				throw new IllegalStateException(
						"Booking before the run failed: " + response.statusCode() + " " + response.body());
			}
			ids.add(new Booked(id.group(1), (String) booking.get("organizer")));
		}
		System.out.printf("Fixture: %d meetings booked before the run%n", ids.size());
		return ids;
	}

	/**
	 * An endless feeder of bookings: a random organizer from the pool, {@code attendees} distinct pool users and a
	 * title no other booking of any run has.
	 */
	Iterator<Map<String, Object>> bookings() {
		// the feeder may be polled from several threads: every call builds its own map
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Map<String, Object> next() {
				return nextBooking();
			}

		};
	}

	/** The {@code Authorization} value of a pool user, or null when the load goes with {@code X-User-Id}. */
	String authorization(String userId) {
		return this.credentials.get(userId);
	}

	String anyUser() {
		return this.settings.userId(1 + ThreadLocalRandom.current().nextInt(this.settings.users()));
	}

	private Map<String, Object> nextBooking() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int[] picked = random.ints(1, this.settings.users() + 1).distinct().limit(this.settings.attendees()).toArray();
		StringBuilder attendees = new StringBuilder();
		for (int index : picked) {
			attendees.append(attendees.isEmpty() ? "\"" : ",\"").append(this.settings.userId(index)).append('"');
		}
		OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(9))
			.truncatedTo(ChronoUnit.MINUTES)
			.plusDays(7 + random.nextInt(300))
			.plusMinutes(15L * random.nextInt(40));
		String title = "Load " + this.runId + "-" + this.titles.incrementAndGet();
		String body = "{\"title\":\"" + title + "\",\"startAt\":\"" + start + "\",\"endAt\":\"" + start.plusHours(1)
				+ "\",\"location\":\"Room " + (1 + random.nextInt(20)) + "\",\"attendees\":[" + attendees + "]}";
		String organizer = anyUser();
		Map<String, Object> booking = new HashMap<>();
		booking.put("organizer", organizer);
		booking.put("authorization", String.valueOf(this.credentials.get(organizer)));
		booking.put("title", title);
		booking.put("body", body);
		return booking;
	}

	private CompletableFuture<Void> createUser(String userId) {
		String body = "{\"userId\":\"" + userId + "\",\"name\":\"Load " + userId + "\",\"email\":\"" + userId
				+ "@load.example.com\",\"timezone\":\"Asia/Tokyo\"}";
		HttpRequest request = authorized(HttpRequest.newBuilder(this.settings.usersUrl().resolve("/api/users")), userId)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept((response) -> {
			if (response.statusCode() != 201 && response.statusCode() != 409) {
				throw new IllegalStateException(
						"Seeding " + userId + " failed: " + response.statusCode() + " " + response.body());
			}
		});
	}

	private void inBatches(List<String> userIds, Function<String, CompletableFuture<Void>> action) {
		for (int from = 0; from < userIds.size(); from += SEED_CONCURRENCY) {
			try {
				CompletableFuture
					.allOf(userIds.subList(from, Math.min(from + SEED_CONCURRENCY, userIds.size()))
						.stream()
						.map(action)
						.toArray(CompletableFuture[]::new))
					.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof IllegalStateException failure) ? failure : new IllegalStateException(
						"Seeding users at " + this.settings.usersUrl() + " failed: " + ex.getCause(), ex.getCause());
			}
		}
	}

	private HttpRequest.Builder authorized(HttpRequest.Builder builder, String userId) {
		builder.timeout(TIMEOUT);
		String authorization = this.credentials.get(userId);
		if (authorization != null) {
			return builder.header("Authorization", authorization);
		}
		this.settings.callerHeaders(userId).forEach(builder::header);
		return builder;
	}

	private String credential(String userId) {
		return switch (this.settings.auth()) {
			case HEADER -> null;
			case TOKEN -> "Bearer " + this.settings.token();
			case SECRET -> "Bearer " + mint(userId, this.settings.jwtSecret(), this.settings.tokenIssuedAt());
			case LOCAL -> "Bearer " + fetchLocalToken(userId);
		};
	}

	private String fetchLocalToken(String userId) {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(this.settings.baseUrl().resolve("/local/token?sub=" + userId))
					.timeout(TIMEOUT)
					.POST(HttpRequest.BodyPublishers.noBody())
					.build());
		Matcher token = TOKEN.matcher(response.body());
		if (response.statusCode() != 200 || !token.find()) {
			throw new IllegalStateException("No token from " + this.settings.baseUrl() + "/local/token (is the gateway "
					+ "in the local profile?): " + response.statusCode() + " " + response.body()
					+ "; use -Dauth=secret -DjwtSecret=... or -Dtoken=...");
		}
		return token.group(1);
	}

	/** An HS256 JWT whose subject is the user, as the gateway verifies it with its shared secret. */
	static String mint(String subject, String secret, long issuedAt) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64.encodeToString(("{\"sub\":\"" + subject + "\",\"iss\":\"meetings-load\",\"iat\":" + issuedAt
				+ ",\"exp\":" + (issuedAt + 8 * 3600) + "}")
			.getBytes(StandardCharsets.UTF_8));
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
			return header + "." + claims + "." + base64.encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot sign a token", ex);
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot reach " + request.uri() + ": " + ex.getMessage(), ex);
		}
	}

	/** A meeting booked before the run, and who booked it: only its participants may read it. */
	record Booked(String meetingId, String organizer) {
	}

}
