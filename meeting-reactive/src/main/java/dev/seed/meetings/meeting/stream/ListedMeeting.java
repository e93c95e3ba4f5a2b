package dev.seed.meetings.meeting.stream;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One meeting of a listing: what a calendar view needs, attendees as user ids. Times are in UTC.
 */
record ListedMeeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String organizerId, List<String> attendees) {
}
