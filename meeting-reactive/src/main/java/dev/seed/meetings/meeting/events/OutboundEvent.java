package dev.seed.meetings.meeting.events;

import java.util.UUID;

/**
 * One outbox row on its way to the broker; {@code outboxId} comes back with the confirm.
 */
record OutboundEvent(UUID outboxId, UUID eventId, String type, String routingKey, String payload) {

	/** The event type an outbox row's routing key stands for (the AMQP {@code type} property). */
	static String typeOf(String routingKey) {
		return switch (routingKey) {
			case InvitationAnswered.ROUTING_KEY -> InvitationAnswered.TYPE;
			case MeetingUpdated.ROUTING_KEY -> MeetingUpdated.TYPE;
			case MeetingCancelled.ROUTING_KEY -> MeetingCancelled.TYPE;
			default -> MeetingCreated.TYPE;
		};
	}

}
