package dev.seed.meetings.meeting.booking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.seed.meetings.meeting.booking.InvalidMeetingException.FieldError;

/**
 * A JSON merge patch (RFC 7396) of a meeting's changeable fields, applied to the meeting as it is: a member replaces
 * the field (an array as a whole), {@code null} removes it, an absent member leaves it alone. The result is checked
 * like a new booking.
 */
final class MeetingPatch {

	static final Set<String> FIELDS = Set.of("title", "startAt", "endAt", "location", "attendees");

	private MeetingPatch() {
	}

	/** The meeting's fields with the patch applied, as the body of a booking would state them. */
	static CreateMeetingRequest apply(Meeting current, JsonNode patch, JsonMapper json) {
		if (patch == null || !patch.isObject()) {
			throw invalid(List.of(new FieldError("body", "must be a JSON object (a merge patch)",
					"a JSON merge patch (RFC 7396) of " + sorted() + ", e.g. {\"title\":\"Design review\"}")));
		}
		List<FieldError> errors = new ArrayList<>();
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			if (!FIELDS.contains(member.getKey())) {
				errors.add(new FieldError(member.getKey(), "cannot be changed; changeable: " + sorted(),
						"one of " + sorted()));
			}
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		ObjectNode merged = json.valueToTree(asRequest(current));
		for (Map.Entry<String, JsonNode> member : patch.properties()) {
			if (member.getValue().isNull()) {
				merged.remove(member.getKey());
			}
			else {
				merged.set(member.getKey(), member.getValue());
			}
		}
		try {
			return json.treeToValue(merged, CreateMeetingRequest.class);
		}
		catch (JacksonException ex) {
			String field = ex.getPath().isEmpty() ? "body" : Objects.requireNonNullElse(
					ex.getPath().get(0).getPropertyName(), "body");
			throw invalid(List.of(MeetingRequestValidator.error(field, "cannot be read")));
		}
	}

	/** The names of the fields that differ between the two, in the order of the API. */
	static List<String> changed(Meeting before, Meeting after) {
		List<String> changed = new ArrayList<>();
		if (!Objects.equals(before.title(), after.title())) {
			changed.add("title");
		}
		if (!before.startAt().isEqual(after.startAt())) {
			changed.add("startAt");
		}
		if (!before.endAt().isEqual(after.endAt())) {
			changed.add("endAt");
		}
		if (!Objects.equals(before.location(), after.location())) {
			changed.add("location");
		}
		if (!before.attendees().stream().map(Meeting.Attendee::userId).toList()
			.equals(after.attendees().stream().map(Meeting.Attendee::userId).toList())) {
			changed.add("attendees");
		}
		return changed;
	}

	private static CreateMeetingRequest asRequest(Meeting meeting) {
		return new CreateMeetingRequest(meeting.title(), meeting.startAt(), meeting.endAt(), meeting.location(),
				meeting.attendees().stream().map(Meeting.Attendee::userId).toList());
	}

	private static String sorted() {
		return String.join(", ", FIELDS.stream().sorted().toList());
	}

	private static InvalidMeetingException invalid(List<FieldError> errors) {
		return new InvalidMeetingException(errors, List.of());
	}

}
