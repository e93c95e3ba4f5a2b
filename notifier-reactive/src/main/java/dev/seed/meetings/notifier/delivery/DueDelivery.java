package dev.seed.meetings.notifier.delivery;

import java.util.UUID;

/**
 * An attendee the poller claimed: due for another attempt, or taken over from an instance whose claim lapsed
 * ({@code takenOver}: it may have been mailed already). {@code eventBody} is the message it was registered from,
 * {@code null} when that was not kept.
 */
public record DueDelivery(UUID meetingId, String userId, String eventId, byte[] eventBody, boolean takenOver) {
}
