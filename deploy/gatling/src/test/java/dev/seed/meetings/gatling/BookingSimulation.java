package dev.seed.meetings.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Bookings under an open workload: arrivals of {@code POST /api/meetings} ramp up to {@code -Drate} per second and
 * hold it for {@code -Dduration} seconds; each booking has {@code -Dattendees} (10) distinct users of a pool of
 * {@code -Dusers} that the run seeds first. See {@link LoadSettings} for every property.
 */
public class BookingSimulation extends Simulation {

	private final LoadSettings settings = LoadSettings.fromSystemProperties();

	private final Fixture fixture = new Fixture(this.settings);

	{
		ScenarioBuilder bookings = scenario("bookings").exec(Load.book(this.fixture, this.settings));
		setUp(Load.population(bookings, this.settings)).protocols(Load.protocol(this.settings))
			.assertions(Load.assertions(this.settings));
	}

	@Override
	public void before() {
		this.fixture.prepare();
	}

}
