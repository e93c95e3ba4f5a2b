package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The contract's {@code MeetingCreated} event, published with routing key {@code meeting.created}.
 */
public record MeetingCreated(UUID eventId, String type, Instant occurredAt, UUID meetingId, String title,
		OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId, List<Attendee> attendees) {

	public static final String TYPE = "MeetingCreated";

	public static final String ROUTING_KEY = "meeting.created";

	public record Attendee(String userId, String name, String email) {
	}

}
