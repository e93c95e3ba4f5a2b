package dev.seed.meetings.notifier.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What became of one attendee's invitation, published on {@code meeting.events} with routing key
 * {@code invitation.sent} or {@code invitation.failed} for streaming clients. {@code error} only on a failure.
 */
public record InvitationEvent(
		UUID eventId,
		String type,
		Instant occurredAt,
		UUID meetingId,
		String userId,
		String email,
		int attempts,
		@JsonInclude(JsonInclude.Include.NON_NULL) String error) {

	public static final String SENT = "InvitationSent";

	public static final String FAILED = "InvitationFailed";

	public String routingKey() {
		return SENT.equals(this.type) ? BrokerNames.INVITATION_SENT : BrokerNames.INVITATION_FAILED;
	}

}
