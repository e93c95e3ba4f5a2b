package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The contract's {@code InvitationAnswered} event, published with routing key {@code invitation.answered} each time an
 * attendee answers (or changes their answer): {@code response} is {@code accepted}, {@code tentative} or
 * {@code declined}.
 */
public record InvitationAnswered(UUID eventId, String type, Instant occurredAt, UUID meetingId, String userId,
		String response) {

	public static final String TYPE = "InvitationAnswered";

	public static final String ROUTING_KEY = BrokerNames.INVITATION_ANSWERED;

}
