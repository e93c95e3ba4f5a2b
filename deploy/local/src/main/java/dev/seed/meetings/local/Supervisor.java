package dev.seed.meetings.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Watches the processes a run started: while they start, it says each one's start-up time as it becomes ready;
 * afterwards it keeps looking. The first one that exits, or whose health check fails {@link #STRIKES} times in a
 * row, ends the watch with a {@link Failure} that names it and carries the last lines of its log, without waiting
 * on the others.
 */
final class Supervisor {

	static final Duration LOOK_EVERY = Duration.ofMillis(250);

	static final Duration HEALTH_EVERY = Duration.ofSeconds(2);

	/** Less often for the servers: each look is a connection in their logs. */
	static final Duration SERVERS_EVERY = Duration.ofSeconds(10);

	static final int STRIKES = 3;

	static final int TAIL_LINES = 20;

	private final Consumer<String> say;

	Supervisor(Consumer<String> say) {
		this.say = say;
	}

	/** Waits until every service answers its health check; the first to die or to time out fails the lot. */
	void awaitReady(List<ServiceProcess> services, Duration timeout) throws Failure, InterruptedException {
		Set<ServiceProcess> starting = new LinkedHashSet<>(services);
		Instant deadline = Instant.now().plus(timeout);
		while (!starting.isEmpty()) {
			for (ServiceProcess service : services) {
				if (!service.isAlive()) {
					throw exited(service);
				}
			}
			for (ServiceProcess service : new ArrayList<>(starting)) {
				if (service.healthy()) {
					starting.remove(service);
					this.say.accept(String.format("%s ready on %s in %.1f s", service.name(), service.baseUrl(),
							service.age().toMillis() / 1000.0));
				}
			}
			if (Instant.now().isAfter(deadline) && !starting.isEmpty()) {
				ServiceProcess late = starting.iterator().next();
				throw new Failure(late.name() + " is not ready after " + timeout.toSeconds() + " s (on a busy machine, "
						+ "SEED_START_TIMEOUT=<seconds> waits longer)", late.tail(TAIL_LINES));
			}
			Thread.sleep(LOOK_EVERY.toMillis());
		}
	}

	/** Watches until one of them exits or fails its health check, then says which; never returns otherwise. */
	Failure watch(List<ServiceProcess> services, List<Watched> others) throws InterruptedException {
		Map<Object, Integer> strikes = new HashMap<>();
		Instant nextHealth = Instant.now();
		Instant nextServers = Instant.now();
		while (true) {
			for (ServiceProcess service : services) {
				if (!service.isAlive()) {
					return exited(service);
				}
			}
			if (!Instant.now().isBefore(nextHealth)) {
				nextHealth = Instant.now().plus(HEALTH_EVERY);
				for (ServiceProcess service : services) {
					if (strike(strikes, service, service.healthy())) {
						return new Failure(service.name() + " failed its health check " + STRIKES + " times in a row",
								service.tail(TAIL_LINES));
					}
				}
			}
			if (!Instant.now().isBefore(nextServers)) {
				nextServers = Instant.now().plus(SERVERS_EVERY);
				for (Watched other : others) {
					if (strike(strikes, other, other.answers())) {
						return new Failure(other.name() + " stopped answering " + other.protocol(), List.of());
					}
				}
			}
			Thread.sleep(LOOK_EVERY.toMillis());
		}
	}

	private static boolean strike(Map<Object, Integer> strikes, Object watched, boolean healthy) {
		int count = healthy ? 0 : strikes.getOrDefault(watched, 0) + 1;
		strikes.put(watched, count);
		return count >= STRIKES;
	}

	private static Failure exited(ServiceProcess service) {
		return new Failure(service.name() + " exited with code " + service.exitCode(), service.tail(TAIL_LINES));
	}

	/** A server the run depends on, other than the services: answers its protocol or not. */
	record Watched(String name, Probes probe, String host, int port) {

		boolean answers() {
			return this.probe.answers(this.host, this.port);
		}

		String protocol() {
			return this.probe.protocol() + " on " + this.host + ":" + this.port;
		}

	}

	/** What went wrong, and the last lines of the log of what went wrong. */
	static final class Failure extends Exception {

		private final List<String> logTail;

		Failure(String message, List<String> logTail) {
			super(message, null, false, false);
			this.logTail = List.copyOf(logTail);
		}

		List<String> logTail() {
			return this.logTail;
		}

	}

}
