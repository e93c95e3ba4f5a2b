package dev.seed.meetings.meeting.booking;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.cache.CacheKeys;
import dev.seed.meetings.meeting.cache.JsonCache;

/**
 * {@code meeting:info:{meetingId}} in Redis; a failure is taken as a miss (see {@link JsonCache}).
 */
@Component
class MeetingCache {

	private final JsonCache cache;

	private final CacheKeys keys;

	// the same shape as ProfileCache: each names its own keys and type over the one JsonCache
	MeetingCache(JsonCache cache, CacheKeys keys) {
		this.cache = cache;
		this.keys = keys;
	}

	Mono<Meeting> find(UUID meetingId) {
		return this.cache.get(this.keys.meetingInfo(meetingId), Meeting.class);
	}

	Mono<Void> save(Meeting meeting) {
		return this.cache.put(this.keys.meetingInfo(meeting.meetingId()), meeting);
	}

}
