package dev.seed.meetings.meeting.attendee;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * Turns attendee ids into profiles: one {@code MGET} for all of them, then the misses from the user directory
 * (concurrently, bounded), each one cached on the way.
 */
@Component
public class AttendeeResolver {

	private final ProfileCache cache;

	private final UserDirectoryClient directory;

	private final int maxConcurrentLookups;

	AttendeeResolver(ProfileCache cache, UserDirectoryClient directory, MeetingProperties properties) {
		this.cache = cache;
		this.directory = directory;
		this.maxConcurrentLookups = properties.userService().maxConcurrentLookups();
	}

	/**
	 * The profiles of {@code userIds}, in the same order; fails with {@link UnknownAttendeesException} naming every
	 * id the directory does not know.
	 */
	public Mono<List<AttendeeProfile>> resolve(List<String> userIds) {
		return this.cache.findAll(userIds)
			.flatMap((cached) -> fetchMisses(userIds, cached).map((fetched) -> inRequestOrder(userIds, cached, fetched)))
			.flatMap(AttendeeResolver::failOnUnknown);
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
