package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One meeting of a listing: what a calendar view needs, attendees as user ids. Times are in UTC; a cancelled
 * meeting is listed with {@code status} {@code cancelled}; {@code version} counts its changes.
 * @param responses each attendee's answer by user id, in the order of {@code attendees}: {@code needs-action},
 * {@code accepted}, {@code tentative} or {@code declined}
 */
record ListedMeeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String organizerId, List<String> attendees, Map<String, String> responses, String status, int version) {
}
