package dev.seed.meetings.gatling;

import java.time.Duration;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.SseConnectActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.sse;

/**
 * Bookings (as in {@link BookingSimulation}) while {@code -Dstreams} clients are subscribed to
 * {@code GET /api/meetings/stream}. Each subscriber waits for a first {@code MeetingCreated} (of a meeting it takes
 * part in: a stream carries only its subscriber's meetings), then stays connected
 * until the bookings end. {@code -Dstreams=0} runs the bookings alone. The assertions hold the bookings only, so
 * that a system without the stream yet still gets its booking figures (the failed subscriptions show in the report).
 */
public class MixedSimulation extends Simulation {

	private static final String SUBSCRIBE = "subscribe to stream";

	private final LoadSettings settings = LoadSettings.fromSystemProperties();

	private final Fixture fixture = new Fixture(this.settings);

	{
		ScenarioBuilder bookings = scenario("bookings").exec(Load.book(this.fixture, this.settings));
		PopulationBuilder bookingLoad = Load.population(bookings, this.settings);
		Duration loadTime = this.settings.ramp().plus(this.settings.duration());
		if (this.settings.streams() > 0) {
			setUp(bookingLoad, subscribers(loadTime).injectOpen(atOnceUsers(this.settings.streams())))
				.protocols(Load.protocol(this.settings))
				.assertions(details(Load.BOOK).failedRequests().percent().lt(this.settings.maxFailedPercent()),
						details(Load.BOOK).responseTime().percentile(99).lt(this.settings.p99Millis()),
						global().allRequests().count().gt(0L));
		}
		else {
			setUp(bookingLoad).protocols(Load.protocol(this.settings)).assertions(Load.assertions(this.settings));
		}
	}

	private ScenarioBuilder subscribers(Duration loadTime) {
		SseConnectActionBuilder connect = sse(SUBSCRIBE).get("/api/meetings/stream")
			.await(loadTime)
			.on(sse.checkMessage("first MeetingCreated")
				.matching(substring("MeetingCreated"))
				.check(jsonPath("$.data").exists()));
		connect = connect.headers(this.settings.callerHeaders("#{reader}"));
		return scenario("stream subscribers").exec((session) -> {
			String reader = this.fixture.anyUser();
			return session.set("reader", reader)
				.set("authorization", String.valueOf(this.fixture.authorization(reader)));
		}).exec(connect).pause(loadTime).exec(sse("unsubscribe").close());
	}

	@Override
	public void before() {
		this.fixture.prepare();
	}

}
