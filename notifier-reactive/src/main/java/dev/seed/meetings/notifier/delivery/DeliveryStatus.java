package dev.seed.meetings.notifier.delivery;

/**
 * What clients see: an attendee being mailed right now ({@code SENDING} in the table) or waiting for another attempt
 * ({@code SCHEDULED}) shows as {@code PENDING}; {@code SUPERSEDED}: not mailed, because a newer state of the meeting
 * was mailed instead.
 */
public enum DeliveryStatus {

	PENDING, SENT, FAILED, SUPERSEDED

}
