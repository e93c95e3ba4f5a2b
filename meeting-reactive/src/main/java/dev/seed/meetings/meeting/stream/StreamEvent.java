package dev.seed.meetings.meeting.stream;

import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.seed.meetings.meeting.booking.Viewer;

/**
 * One item of the live stream: an event from the broker ({@code MeetingCreated}, {@code MeetingUpdated},
 * {@code MeetingCancelled}, {@code InvitationSent}, {@code InvitationFailed}) with its place in this instance's sequence, or a notice about the stream itself
 * ({@code dropped}, {@code expired}), which has no id and passes every filter.
 * @param id {@code <instance epoch>-<sequence>}, the SSE {@code id:}; {@code null} for a notice
 * @param sequence position in this instance's stream, from 1; 0 for a notice
 * @param type the SSE {@code event:} name
 * @param meetingId the meeting the event is about; {@code null} for a notice
 * @param userIds the attendees an event concerns (all of a meeting event, with those a change removed; the one of an invitation)
 * @param participants who may see the event: its meeting's organizer and attendees, with those a change removed
 * (empty when they could not be found: then only an operator sees it)
 * @param data the event as received (or the notice), as JSON
 * @param json {@code data} written once, compactly, for every subscriber
 */
record StreamEvent(String id, long sequence, String type, String meetingId, Set<String> userIds,
		Set<String> participants, JsonNode data, String json) {

	static final String DROPPED = "dropped";

	static final String EXPIRED = "expired";

	boolean isNotice() {
		return this.id == null;
	}

	static StreamEvent notice(String type, JsonNode data) {
		return new StreamEvent(null, 0, type, null, Set.of(), Set.of(), data, data.toString());
	}

	/** Whether {@code viewer} may receive this event: a notice always, an event if they take part in its meeting. */
	boolean visibleTo(Viewer viewer) {
		return isNotice() || viewer.admin() || (viewer.userId() != null && this.participants.contains(viewer.userId()));
	}

}
