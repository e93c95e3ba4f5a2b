package dev.seed.meetings.notifier.events;

import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Reads a message body into a {@link MeetingCreated}, rejecting what the notifier cannot act on. */
@Component
public class MeetingCreatedReader {

	private final JsonMapper jsonMapper;

	MeetingCreatedReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * @throws MalformedEventException when the body is not JSON or lacks the fields needed to mail anyone
	 */
	public MeetingCreated read(byte[] body) {
		MeetingCreated event;
		try {
			event = this.jsonMapper.readValue(body, MeetingCreated.class);
		}
		catch (JacksonException ex) {
			// the parser's message quotes the input, which may be large or hostile: keep only its kind
			throw new MalformedEventException("not a MeetingCreated JSON document (" + ex.getClass().getSimpleName() + ")");
		}
		if (event == null) {
			throw new MalformedEventException("empty body");
		}
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

	private static void require(boolean present, String field) {
		if (!present) {
			throw new MalformedEventException("missing or empty " + field);
		}
	}

}
