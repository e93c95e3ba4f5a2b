package dev.seed.meetings.meeting.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event of a meeting's life after booking, written to the outbox like {@code MeetingCreated}: {@code sequence}
 * is the meeting's version after the change, which the notifier uses as the calendar's {@code SEQUENCE}.
 */
public sealed interface ChangeEvent permits MeetingUpdated, MeetingCancelled {

	UUID eventId();

	String type();

	Instant occurredAt();

	UUID meetingId();

	int sequence();

	@JsonIgnore
	String routingKey();

}
