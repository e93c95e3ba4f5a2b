package dev.seed.meetings.gatling;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a simulation is told on the command line ({@code -Dname=value}); every value has a default that works
 * against the system started by the local launcher.
 *
 * <ul>
 * <li>{@code baseUrl}: where the load goes, {@code http://127.0.0.1:8080} (the gateway);</li>
 * <li>{@code auth}: {@code local} (a token per pool user from the gateway's {@code POST /local/token}),
 * {@code secret} (HS256 tokens minted here from {@code -DjwtSecret}), {@code token} (one {@code -Dtoken} for every
 * request) or {@code header} (no token, an {@code X-User-Id} header: straight to meeting-reactive, with
 * {@code -DgatewayToken} in {@code X-Gateway-Token} as the gateway sends it, by default the local launcher's);</li>
 * <li>{@code usersUrl}: where the pool is seeded ({@code POST /api/users}); {@code baseUrl}, or
 * {@code http://127.0.0.1:8082} when {@code auth=header};</li>
 * <li>{@code seed} ({@code true}): {@code false} when the pool was seeded by an earlier run against the same system,
 * so that the measured service receives nothing but the load;</li>
 * <li>{@code tokenIssuedAt} (epoch seconds, now): when the minted tokens say they were issued ({@code auth=secret});
 * a benchmark gives all its runs one instant, so its users keep their tokens from run to run, as clients keep theirs
 * for the token's lifetime (eight hours);</li>
 * <li>{@code users} (pool size, 200), {@code userPrefix} ({@code lt-}), {@code attendees} (per booking, 10);</li>
 * <li>{@code rate} (arrivals/s at the plateau, 20), {@code startRate} (1), {@code ramp} (s, 10), {@code duration}
 * (s at the plateau, 30);</li>
 * <li>{@code p99} (ms bound asserted on the 99th percentile, 500), {@code maxFailedPercent} (1);</li>
 * <li>{@code concurrency} (0): above 0, a closed model instead: that many clients, each booking again as soon as
 * its booking is answered, for {@code duration} seconds (a capacity figure, not a latency one);</li>
 * <li>{@code meetings} (booked before a read run, 100), {@code streams} (SSE clients of the mixed run, 10; 0 turns
 * the stream off).</li>
 * </ul>
 */
record LoadSettings(URI baseUrl, Auth auth, String token, String jwtSecret, String gatewayToken, long tokenIssuedAt,
		URI usersUrl, boolean seed, int users, String userPrefix, int attendees, double rate, double startRate,
		Duration ramp, Duration duration, int p99Millis, double maxFailedPercent, int concurrency, int meetings,
		int streams) {

	enum Auth {

		LOCAL, SECRET, TOKEN, HEADER

	}

	static LoadSettings fromSystemProperties() {
		String baseUrl = property("baseUrl", "http://127.0.0.1:8080");
		Auth auth = Auth.valueOf(property("auth", defaultAuth()).toUpperCase());
		String usersUrl = property("usersUrl", (auth == Auth.HEADER) ? "http://127.0.0.1:8082" : baseUrl);
		LoadSettings settings = new LoadSettings(URI.create(stripSlash(baseUrl)), auth, System.getProperty("token"),
				System.getProperty("jwtSecret"), property("gatewayToken", "local-only-service-token-do-not-deploy"),
				Long.parseLong(property("tokenIssuedAt", Long.toString(Instant.now().getEpochSecond()))),
				URI.create(stripSlash(usersUrl)), Boolean.parseBoolean(property("seed", "true")), intProperty("users", 200),
				property("userPrefix", "lt-"), intProperty("attendees", 10), doubleProperty("rate", 20),
				doubleProperty("startRate", 1), Duration.ofSeconds(intProperty("ramp", 10)),
				Duration.ofSeconds(intProperty("duration", 30)), intProperty("p99", 500),
				doubleProperty("maxFailedPercent", 1), intProperty("concurrency", 0), intProperty("meetings", 100),
				intProperty("streams", 10));
		settings.check();
		return settings;
	}

	private static String defaultAuth() {
		if (System.getProperty("token") != null) {
			return "token";
		}
		return (System.getProperty("jwtSecret") != null) ? "secret" : "local";
	}

	private void check() {
		if (this.attendees < 1 || this.attendees > this.users) {
			throw new IllegalArgumentException("attendees must be between 1 and users (" + this.users + ")");
		}
		if (this.auth == Auth.TOKEN && this.token == null) {
			throw new IllegalArgumentException("auth=token needs -Dtoken=<jwt>");
		}
		if (this.auth == Auth.SECRET && this.jwtSecret == null) {
			throw new IllegalArgumentException("auth=secret needs -DjwtSecret=<the gateway's gateway.jwt.secret>");
		}
	}

	String userId(int index) {
		return this.userPrefix + index;
	}

	/**
	 * The headers that name the caller: {@code Authorization} from the session's {@code authorization}, or with
	 * {@code auth=header} the user {@code userIdExpression} in {@code X-User-Id} with the gateway's token.
	 */
	Map<String, String> callerHeaders(String userIdExpression) {
		return (this.auth == Auth.HEADER) ? Map.of("X-User-Id", userIdExpression, "X-Gateway-Token", this.gatewayToken)
				: Map.of("Authorization", "#{authorization}");
	}

	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value.strip();
	}

	private static int intProperty(String name, int fallback) {
		return Integer.parseInt(property(name, Integer.toString(fallback)));
	}

	private static double doubleProperty(String name, double fallback) {
		return Double.parseDouble(property(name, Double.toString(fallback)));
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
