package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code PATCH /api/meetings/{id}} changed the meeting (routing key {@code meeting.updated}): the meeting as it now
 * is, its {@code sequence} (= version), the fields that {@code changed}, and the attendees {@code added} and
 * {@code removed} (both also absent from / present in {@code attendees} accordingly); {@code organizer} as in
 * {@code MeetingCreated}.
 */
public record MeetingUpdated(UUID eventId, String type, Instant occurredAt, UUID meetingId, int sequence, String title,
		OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId,
		MeetingCreated.Organizer organizer, String status,
		List<String> changed, List<MeetingCreated.Attendee> attendees, List<MeetingCreated.Attendee> added,
		List<MeetingCreated.Attendee> removed) implements ChangeEvent {

	// the same members as MeetingCancelled: each event of the contract names its own type and routing key
	public static final String TYPE = "MeetingUpdated";

	public static final String ROUTING_KEY = BrokerNames.MEETING_UPDATED;

	@Override
	public String routingKey() {
		return ROUTING_KEY;
	}

}
