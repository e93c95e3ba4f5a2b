package dev.seed.meetings.notifier.events;

import java.util.List;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Reads a message body into a {@link MeetingChanged}, rejecting what the notifier cannot act on. */
@Component
public class MeetingChangedReader {

	private final JsonMapper jsonMapper;

	MeetingChangedReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * @throws MalformedEventException when the body is not JSON or lacks the fields needed to mail anyone
	 */
	public MeetingChanged read(byte[] body) {
		MeetingChanged event;
		try {
			event = this.jsonMapper.readValue(body, MeetingChanged.class);
		}
		catch (JacksonException ex) {
			throw new MalformedEventException("not a meeting change JSON document (" + ex.getClass().getSimpleName() + ")");
		}
		if (event == null) {
			throw new MalformedEventException("empty body");
		}
		require(MeetingChanged.UPDATED.equals(event.type()) || MeetingChanged.CANCELLED.equals(event.type()), "type");
		require(StringUtils.hasText(event.eventId()), "eventId");
		require(event.meetingId() != null, "meetingId");
		require(event.sequence() > 0, "sequence");
		require(event.startAt() != null, "startAt");
		require(event.endAt() != null, "endAt");
		require(event.attendees() != null, "attendees");
		for (List<MeetingCreated.Attendee> list : List.of(event.attendees(), orEmpty(event.added()),
				orEmpty(event.removed()))) {
			require(list.stream().allMatch(Objects::nonNull), "attendees");
			require(list.stream().allMatch((attendee) -> StringUtils.hasText(attendee.userId())), "attendees[].userId");
			require(list.stream().allMatch((attendee) -> StringUtils.hasText(attendee.email())), "attendees[].email");
		}
		return event;
	}

	private static List<MeetingCreated.Attendee> orEmpty(List<MeetingCreated.Attendee> list) {
		return (list != null) ? list : List.of();
	}

	private static void require(boolean present, String field) {
		if (!present) {
			throw new MalformedEventException("missing or empty " + field);
		}
	}

}
