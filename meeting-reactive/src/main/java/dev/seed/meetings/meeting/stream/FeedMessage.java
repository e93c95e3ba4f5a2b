package dev.seed.meetings.meeting.stream;

/**
 * One message as the broker delivered it to the stream's queue.
 */
record FeedMessage(String routingKey, byte[] body) {
}
