package dev.seed.meetings.gatling;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Reads of meetings booked just before the run ({@code -Dmeetings} of them), so that {@code GET /api/meetings/{id}}
 * is served from {@code meeting:info:{id}}: arrivals ramp up to {@code -Drate} per second and hold it.
 */
public class ReadSimulation extends Simulation {

	private final LoadSettings settings = LoadSettings.fromSystemProperties();

	private final Fixture fixture = new Fixture(this.settings);

	/** Filled in {@code before()}; the feeder reads it only once the load starts. */
	private final List<Fixture.Booked> meetingIds = new ArrayList<>();

	{
		HttpRequestActionBuilder read = http("read meeting").get("/api/meetings/#{meetingId}")
			.check(status().is(200))
			.check(jsonPath("$.meetingId").isEL("#{meetingId}"))
			.check(jsonPath("$.attendees[*]").count().gte(1));
		read = read.headers(this.settings.callerHeaders("#{reader}"));
		ScenarioBuilder reads = scenario("reads").feed(new Iterator<Map<String, Object>>() {

			private final AtomicInteger next = new AtomicInteger();

			@Override
			public boolean hasNext() {
				return !ReadSimulation.this.meetingIds.isEmpty();
			}

			@Override
			public Map<String, Object> next() {
				Fixture.Booked meeting = ReadSimulation.this.meetingIds.get(Math.floorMod(this.next.getAndIncrement(), ReadSimulation.this.meetingIds.size()));
				// only a meeting's participants may read it: its organizer reads it
				String reader = meeting.organizer();
				return Map.of("meetingId", meeting.meetingId(), "reader", reader, "authorization",
						String.valueOf(ReadSimulation.this.fixture.authorization(reader)));
			}

		}).exec(read);
		setUp(Load.population(reads, this.settings)).protocols(Load.protocol(this.settings))
			.assertions(Load.assertions(this.settings));
	}

	@Override
	public void before() {
		this.fixture.prepare();
		this.meetingIds.addAll(this.fixture.bookMeetings(this.settings.meetings()));
	}

}
