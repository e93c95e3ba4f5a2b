package dev.seed.meetings.meeting.attendee;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.cache.CacheKeys;
import dev.seed.meetings.meeting.cache.JsonCache;

/**
 * {@code user:profile:{userId}} in Redis. A cache failure is a miss: it never fails a booking, whose attendees are then
 * looked up in the directory (bounded by the directory's own breaker). While the {@code redis} breaker is open, no
 * call reaches Redis at all.
 */
@Component
class ProfileCache {

	private final JsonCache cache;

	private final CacheKeys keys;

	// the same shape as MeetingCache: each names its own keys and type over the one JsonCache
	ProfileCache(JsonCache cache, CacheKeys keys) {
		this.cache = cache;
		this.keys = keys;
	}

	/** The cached profiles among {@code userIds}, in one {@code MGET}. */
	Mono<Map<String, AttendeeProfile>> findAll(List<String> userIds) {
		return this.cache.getAll(userIds, this.keys::userProfile, AttendeeProfile.class);
	}

	Mono<Void> save(String userId, AttendeeProfile profile) {
		return this.cache.put(this.keys.userProfile(userId), profile);
	}

}
