package dev.seed.meetings.notifier.delivery;

/** What clients see; an attendee being mailed right now ({@code SENDING} in the table) shows as {@code PENDING}. */
public enum DeliveryStatus {

	PENDING, SENT, FAILED

}
