package dev.seed.meetings.gatling;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The pieces the simulations share: the protocol, the booking request with its checks, the open injection profile
 * and the assertions.
 */
final class Load {

	static final String BOOK = "book meeting";

	private Load() {
	}

	static HttpProtocolBuilder protocol(LoadSettings settings) {
		return http.baseUrl(settings.baseUrl().toString())
			.acceptHeader("application/json")
			.contentTypeHeader("application/json")
			.userAgentHeader("meetings-gatling")
			// one connection per virtual user would measure TCP handshakes, not the service
			.shareConnections();
	}

	/** Feeds a booking, posts it and checks the contract's answer: 201, a Location, the id and "scheduled". */
	static ChainBuilder book(Fixture fixture, LoadSettings settings) {
		HttpRequestActionBuilder post = http(BOOK).post("/api/meetings")
			.body(StringBody("#{body}"))
			.check(status().is(201))
			.check(header("Location").saveAs("location"))
			.check(jsonPath("$.meetingId").ofString().saveAs("meetingId"))
			.check(jsonPath("$.status").is("scheduled"));
		post = post.headers(settings.callerHeaders("#{organizer}"));
		return feed(fixture.bookings()).exec(post);
	}

	/**
	 * The scenario's users: arrivals that ramp from {@code startRate} to {@code rate}, then hold {@code rate} for
	 * {@code duration} (open model); or, when {@code concurrency} is set, that many users at all times for
	 * {@code duration} (closed model).
	 */
	static PopulationBuilder population(ScenarioBuilder scenario, LoadSettings settings) {
		if (settings.concurrency() > 0) {
			return scenario.injectClosed(constantConcurrentUsers(settings.concurrency()).during(settings.duration()));
		}
		return scenario.injectOpen(arrivals(settings));
	}

	private static OpenInjectionStep[] arrivals(LoadSettings settings) {
		return new OpenInjectionStep[] {
				rampUsersPerSec(settings.startRate()).to(settings.rate()).during(settings.ramp()),
				constantUsersPerSec(settings.rate()).during(settings.duration()) };
	}

	static Assertion[] assertions(LoadSettings settings) {
		return new Assertion[] { global().failedRequests().percent().lt(settings.maxFailedPercent()),
				global().responseTime().percentile(99).lt(settings.p99Millis()) };
	}

}
