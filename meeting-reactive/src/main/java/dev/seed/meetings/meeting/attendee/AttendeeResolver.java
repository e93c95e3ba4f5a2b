package dev.seed.meetings.meeting.attendee;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

	// fields and a constructor of the same shape as JsonCache's: collaborators taken in, nothing to share
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
		return resolve(userIds, null).map(Participants::attendees);
	}

	/**
	 * The attendees' profiles, as {@link #resolve(List)}, and the organizer's in the same lookups (one {@code MGET},
	 * one fan-out). An organizer the directory does not know (or none, {@code null}) is not an error: its profile
	 * then has only the id.
	 */
	public Mono<Participants> resolve(List<String> attendeeIds, String organizerId) {
		List<String> userIds = (organizerId == null || attendeeIds.contains(organizerId)) ? attendeeIds
				: Stream.concat(attendeeIds.stream(), Stream.of(organizerId)).toList();
		return this.cache.findAll(userIds)
			.doOnNext((cached) -> countCacheLookups(userIds, cached))
			.flatMap((cached) -> fetchMisses(userIds, cached).map((fetched) -> inRequestOrder(userIds, cached, fetched)))
			.flatMap((lookups) -> participants(lookups, attendeeIds.size(), organizerId))
			.transform(this::timed);
	}

	private static Mono<Participants> participants(List<Lookup> lookups, int attendees, String organizerId) {
		AttendeeProfile organizer = lookups.stream()
			.filter((lookup) -> lookup.userId().equals(organizerId) && lookup.profile() != null)
			.map(Lookup::profile)
			.findFirst()
			.orElse(new AttendeeProfile(organizerId, null, null, null));
		return failOnUnknown(lookups.subList(0, attendees)).map((profiles) -> new Participants(organizer, profiles));
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

	/**
	 * @param organizer the organizer's profile; only its id (possibly null) when the directory does not know it
	 * @param attendees the attendees' profiles, in the order asked for
	 */
	public record Participants(AttendeeProfile organizer, List<AttendeeProfile> attendees) {
	}

}
