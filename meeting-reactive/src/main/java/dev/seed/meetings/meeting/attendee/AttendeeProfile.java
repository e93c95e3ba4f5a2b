package dev.seed.meetings.meeting.attendee;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A user as the directory describes it; also the JSON cached under {@code user:profile:{userId}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttendeeProfile(String userId, String name, String email, String timezone) {
}
