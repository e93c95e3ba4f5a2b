package dev.seed.meetings.notifier.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The event published by meeting-reactive once a meeting is stored (routing key {@code meeting.created}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeetingCreated(
		String eventId,
		String type,
		OffsetDateTime occurredAt,
		UUID meetingId,
		String title,
		OffsetDateTime startAt,
		OffsetDateTime endAt,
		String location,
		String organizerId,
		List<Attendee> attendees) {

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Attendee(String userId, String name, String email) {
	}

}
