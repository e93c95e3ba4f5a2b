package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The contract's {@code MeetingCreated} event, published with routing key {@code meeting.created}.
 * @param organizer the organizer as the user directory describes them; only {@code userId} when it does not
 */
public record MeetingCreated(UUID eventId, String type, Instant occurredAt, UUID meetingId, String title,
		OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId, Organizer organizer,
		List<Attendee> attendees) {

	public static final String TYPE = "MeetingCreated";

	public static final String ROUTING_KEY = BrokerNames.MEETING_CREATED;

	/** {@code timezone}: an IANA zone id from the attendee's profile, or null. */
	public record Attendee(String userId, String name, String email, String timezone) {
	}

	/** Name, email and time zone are null when the directory does not know the organizer. */
	public record Organizer(String userId, String name, String email, String timezone) {
	}

}
