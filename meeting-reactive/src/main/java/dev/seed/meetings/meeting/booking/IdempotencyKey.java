package dev.seed.meetings.meeting.booking;

/**
 * An {@code Idempotency-Key} as scoped to its caller, with the hash of the request it first came with.
 */
record IdempotencyKey(String caller, String key, String requestHash) {
}
