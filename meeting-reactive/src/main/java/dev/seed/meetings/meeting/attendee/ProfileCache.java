package dev.seed.meetings.meeting.attendee;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.cache.CacheKeys;
import dev.seed.meetings.meeting.cache.JsonCache;

/**
 * {@code user:profile:{userId}} in Redis. A cache failure is logged and treated as a miss: it never fails a booking.
 */
@Component
class ProfileCache {

	private final JsonCache cache;

	private final CacheKeys keys;

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
