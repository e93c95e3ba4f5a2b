package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A booked meeting as {@code GET /api/meetings/{id}} shows it and as {@code meeting:info:{id}} caches it.
 * Times are in UTC. {@code version} is 0 at booking and one more after each change or the cancellation: the
 * {@code ETag} and the calendar's {@code SEQUENCE}.
 */
public record Meeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
		String organizerId, String status, OffsetDateTime createdAt, List<Attendee> attendees, int version) {

	public static final String SCHEDULED = "scheduled";

	public static final String CANCELLED = "cancelled";

	/** A meeting as booked, before any change. */
	public Meeting(UUID meetingId, String title, OffsetDateTime startAt, OffsetDateTime endAt, String location,
			String organizerId, String status, OffsetDateTime createdAt, List<Attendee> attendees) {
		this(meetingId, title, startAt, endAt, location, organizerId, status, createdAt, attendees, 0);
	}


	/** Whether {@code viewer} may see this meeting: its organizer, one of its attendees, or an operator. */
	public boolean visibleTo(Viewer viewer) {
		if (viewer.admin()) {
			return true;
		}
		String userId = viewer.userId();
		return userId != null && (userId.equals(this.organizerId)
				|| this.attendees.stream().anyMatch((attendee) -> userId.equals(attendee.userId())));
	}

	/**
	 * @param response the attendee's answer to the invitation ({@link Response}); {@code needs-action} until they
	 * answer (and for an entry cached before answers existed)
	 */
	public record Attendee(String userId, String name, String email, String response) {

		public Attendee {
			if (response == null) {
				response = Response.NEEDS_ACTION;
			}
		}

		public Attendee(String userId, String name, String email) {
			this(userId, name, email, Response.NEEDS_ACTION);
		}

	}

}
