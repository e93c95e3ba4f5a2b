package dev.seed.meetings.meeting.attendee;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * Turns attendee ids into profiles: one {@code MGET} for all of them, then the misses from the user directory
 * (concurrently, bounded), each one cached on the way. Meters: {@code meeting.attendee.cache} (counter, tag
 * {@code result} = hit/miss) and {@code meeting.attendee.fanout} (timer of the whole resolution, tag {@code outcome}).
 */
@Component
public class AttendeeResolver {

	private final ProfileCache cache;

	private final UserDirectoryClient directory;

	private final int maxConcurrentLookups;

	private final MeterRegistry meters;

	private final Counter cacheHits;

	private final Counter cacheMisses;

	AttendeeResolver(ProfileCache cache, UserDirectoryClient directory, MeetingProperties properties,
			MeterRegistry meters) {
		this.cache = cache;
		this.directory = directory;
		this.maxConcurrentLookups = properties.userService().maxConcurrentLookups();
		this.meters = meters;
		this.cacheHits = Counter.builder("meeting.attendee.cache").tag("result", "hit").register(meters);
		this.cacheMisses = Counter.builder("meeting.attendee.cache").tag("result", "miss").register(meters);
	}

	/**
	 * The profiles of {@code userIds}, in the same order; fails with {@link UnknownAttendeesException} naming every
	 * id the directory does not know.
	 */
	public Mono<List<AttendeeProfile>> resolve(List<String> userIds) {
		return this.cache.findAll(userIds)
			.doOnNext((cached) -> countCacheLookups(userIds, cached))
			.flatMap((cached) -> fetchMisses(userIds, cached).map((fetched) -> inRequestOrder(userIds, cached, fetched)))
			.flatMap(AttendeeResolver::failOnUnknown)
			.transform(this::timed);
	}

	private void countCacheLookups(List<String> userIds, Map<String, AttendeeProfile> cached) {
		this.cacheHits.increment(cached.size());
		this.cacheMisses.increment(userIds.size() - cached.size());
	}

	private <T> Mono<T> timed(Mono<T> resolution) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.meters);
			return resolution.doOnSuccess((result) -> stop(sample, "success"))
				.doOnError(UnknownAttendeesException.class, (ex) -> stop(sample, "unknown"))
				.doOnError((ex) -> !(ex instanceof UnknownAttendeesException), (ex) -> stop(sample, "error"));
		});
	}

	private void stop(Timer.Sample sample, String outcome) {
		sample.stop(Timer.builder("meeting.attendee.fanout").tag("outcome", outcome).register(this.meters));
	}

	private Mono<Map<String, Lookup>> fetchMisses(List<String> userIds, Map<String, AttendeeProfile> cached) {
		return Flux.fromIterable(userIds)
			.filter((userId) -> !cached.containsKey(userId))
			.flatMap(this::fetchAndCache, this.maxConcurrentLookups)
			.collectMap(Lookup::userId);
	}

	private Mono<Lookup> fetchAndCache(String userId) {
		return this.directory.findById(userId)
			.flatMap((profile) -> this.cache.save(userId, profile).thenReturn(new Lookup(userId, profile)))
			.defaultIfEmpty(new Lookup(userId, null));
	}

	private static List<Lookup> inRequestOrder(List<String> userIds, Map<String, AttendeeProfile> cached,
			Map<String, Lookup> fetched) {
		return userIds.stream()
			.map((userId) -> cached.containsKey(userId) ? new Lookup(userId, cached.get(userId)) : fetched.get(userId))
			.toList();
	}

	private static Mono<List<AttendeeProfile>> failOnUnknown(List<Lookup> lookups) {
		List<String> unknown = lookups.stream().filter((lookup) -> lookup.profile() == null).map(Lookup::userId).toList();
		if (!unknown.isEmpty()) {
			return Mono.error(new UnknownAttendeesException(unknown));
		}
		return Mono.just(lookups.stream().map(Lookup::profile).toList());
	}

	private record Lookup(String userId, AttendeeProfile profile) {
	}

}
