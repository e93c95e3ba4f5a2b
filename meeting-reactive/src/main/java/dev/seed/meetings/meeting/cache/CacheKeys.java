package dev.seed.meetings.meeting.cache;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * The Redis key names of the contract, behind the configured prefix.
 */
@Component
public class CacheKeys {

	private final String prefix;

	public CacheKeys(MeetingProperties properties) {
		this.prefix = properties.cache().keyPrefix();
	}

	public String userProfile(String userId) {
		return this.prefix + "user:profile:" + userId;
	}

	public String meetingInfo(UUID meetingId) {
		return this.prefix + "meeting:info:" + meetingId;
	}

}
