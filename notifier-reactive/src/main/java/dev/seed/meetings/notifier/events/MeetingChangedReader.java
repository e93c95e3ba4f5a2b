package dev.seed.meetings.notifier.events;

import java.util.List;
import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import static dev.seed.meetings.notifier.events.EventBodies.parse;
import static dev.seed.meetings.notifier.events.EventBodies.require;

/** Reads a message body into a {@link MeetingChanged}, rejecting what the notifier cannot act on. */
@Component
public class MeetingChangedReader {

	// the same frame as MeetingCreatedReader: the parsing is shared (EventBodies), the fields each requires are its own
	private final JsonMapper jsonMapper;

	MeetingChangedReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * @throws MalformedEventException when the body is not JSON or lacks the fields needed to mail anyone
	 */
	public MeetingChanged read(byte[] body) {
		MeetingChanged event = parse(this.jsonMapper, body, MeetingChanged.class, "a meeting change");
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

}
