package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One meeting of a listing: what a calendar view needs, attendees as user ids. Times are in UTC; a cancelled
 * meeting is listed with {@code status} {@code cancelled}; {@code version} counts its changes.
 */
record ListedMeeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String organizerId, List<String> attendees, String status, int version) {
}
