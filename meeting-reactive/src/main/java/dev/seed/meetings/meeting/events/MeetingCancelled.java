package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code DELETE /api/meetings/{id}} cancelled the meeting (routing key {@code meeting.cancelled}): the meeting as it
 * was, with {@code status} {@code cancelled} and its {@code sequence} one more than the last change's;
 * {@code organizer} as in {@code MeetingCreated} (only {@code userId} when the user directory could not be asked).
 */
public record MeetingCancelled(UUID eventId, String type, Instant occurredAt, UUID meetingId, int sequence,
		String title, OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId,
		MeetingCreated.Organizer organizer, String status,
		List<MeetingCreated.Attendee> attendees) implements ChangeEvent {

	// the same members as MeetingUpdated: each event of the contract names its own type and routing key
	public static final String TYPE = "MeetingCancelled";

	public static final String ROUTING_KEY = BrokerNames.MEETING_CANCELLED;

	@Override
	public String routingKey() {
		return ROUTING_KEY;
	}

}
