package dev.seed.meetings.notifier.events;

import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import static dev.seed.meetings.notifier.events.EventBodies.parse;
import static dev.seed.meetings.notifier.events.EventBodies.require;

/** Reads a message body into a {@link MeetingCreated}, rejecting what the notifier cannot act on. */
@Component
public class MeetingCreatedReader {

	// the same frame as MeetingChangedReader: the parsing is shared (EventBodies), the fields each requires are its own
	private final JsonMapper jsonMapper;

	MeetingCreatedReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * @throws MalformedEventException when the body is not JSON or lacks the fields needed to mail anyone
	 */
	public MeetingCreated read(byte[] body) {
		MeetingCreated event = parse(this.jsonMapper, body, MeetingCreated.class, "a MeetingCreated");
		require(StringUtils.hasText(event.eventId()), "eventId");
		require(event.meetingId() != null, "meetingId");
		require(event.startAt() != null, "startAt");
		require(event.endAt() != null, "endAt");
		require(event.attendees() != null && !event.attendees().isEmpty(), "attendees");
		require(event.attendees().stream().allMatch(Objects::nonNull), "attendees");
		require(event.attendees().stream().allMatch((attendee) -> StringUtils.hasText(attendee.userId())),
				"attendees[].userId");
		require(event.attendees().stream().allMatch((attendee) -> StringUtils.hasText(attendee.email())),
				"attendees[].email");
		return event;
	}

}
