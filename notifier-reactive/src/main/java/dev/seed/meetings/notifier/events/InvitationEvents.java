package dev.seed.meetings.notifier.events;

import java.util.UUID;

/**
 * Announces invitation outcomes to streaming clients. Best effort: the methods return at once and never fail, so
 * that a slow or absent broker can neither hold nor fail the mail delivery; an event that cannot be published in
 * time is logged and lost (the delivery records stay the truth).
 */
public interface InvitationEvents {

	void sent(UUID meetingId, String userId, String email, int attempts);

	void failed(UUID meetingId, String userId, String email, int attempts, String error);

}
