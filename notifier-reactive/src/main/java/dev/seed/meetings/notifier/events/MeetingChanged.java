package dev.seed.meetings.notifier.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code MeetingUpdated} (routing key {@code meeting.updated}) or {@code MeetingCancelled} ({@code meeting.cancelled})
 * as meeting-reactive publishes them: the meeting as it now is, its {@code sequence} (= its version: 0 at creation,
 * one more per change or cancellation), and for an update the fields {@code changed} and the attendees
 * {@code added} and {@code removed}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeetingChanged(String eventId, String type, OffsetDateTime occurredAt, UUID meetingId, int sequence,
		String title, OffsetDateTime startAt, OffsetDateTime endAt, String location, String organizerId,
		MeetingCreated.Organizer organizer, String status, List<String> changed, List<MeetingCreated.Attendee> attendees,
		List<MeetingCreated.Attendee> added, List<MeetingCreated.Attendee> removed) {

	public static final String UPDATED = "MeetingUpdated";

	public static final String CANCELLED = "MeetingCancelled";

	public boolean cancelled() {
		return CANCELLED.equals(this.type);
	}

	/** Whether the update moved the meeting in time. */
	public boolean moved() {
		return this.changed != null && (this.changed.contains("startAt") || this.changed.contains("endAt"));
	}

	/** The meeting in the shape the invitation renderers take, with {@code attendees} as its attendee list. */
	public MeetingCreated asMeeting(List<MeetingCreated.Attendee> attendees) {
		return new MeetingCreated(this.eventId, this.type, this.occurredAt, this.meetingId, this.title, this.startAt,
				this.endAt, this.location, this.organizerId, this.organizer, attendees);
	}

}
