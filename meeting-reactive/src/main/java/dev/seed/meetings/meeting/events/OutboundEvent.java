package dev.seed.meetings.meeting.events;

import java.util.UUID;

/**
 * One outbox row on its way to the broker; {@code outboxId} comes back with the confirm.
 */
record OutboundEvent(UUID outboxId, UUID eventId, String type, String routingKey, String payload) {
}
