package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A booked meeting as {@code GET /api/meetings/{id}} shows it and as {@code meeting:info:{id}} caches it.
 * Times are in UTC.
 */
public record Meeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String organizerId, String status, OffsetDateTime createdAt, List<Attendee> attendees) {

	public static final String SCHEDULED = "scheduled";

	public record Attendee(String userId, String name, String email) {
	}

}
