package dev.seed.meetings.notifier.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The event published by meeting-reactive once a meeting is stored (routing key {@code meeting.created}).
 * {@code organizer} and each attendee's {@code timezone} are newer fields: an event without them is still mailed
 * (the organizer then shown by id, the times in the default zone).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeetingCreated(
		String eventId,
		String type,
		OffsetDateTime occurredAt,
		UUID meetingId,
		String title,
		OffsetDateTime startAt,
		OffsetDateTime endAt,
		String location,
		String organizerId,
		Organizer organizer,
		List<Attendee> attendees) {

	/** An event without the organizer's directory entry, as published before it was added. */
	public MeetingCreated(String eventId, String type, OffsetDateTime occurredAt, UUID meetingId, String title,
			OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId,
			List<Attendee> attendees) {
		this(eventId, type, occurredAt, meetingId, title, startAt, endAt, location, organizerId, null, attendees);
	}

	/**
	 * The organizer as the user directory knows them; {@code name}, {@code email} and {@code timezone} are null when
	 * the organizer is not in the directory.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Organizer(String userId, String name, String email, String timezone) {
	}

	/** @param timezone the attendee's IANA zone from their profile, or null */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Attendee(String userId, String name, String email, String timezone) {

		/** An attendee without a time zone. */
		public Attendee(String userId, String name, String email) {
			this(userId, name, email, null);
		}

	}

}
