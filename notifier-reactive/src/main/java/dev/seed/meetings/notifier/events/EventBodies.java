package dev.seed.meetings.notifier.events;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** What both event readers do with a body before they check its fields: JSON into the record, or malformed. */
final class EventBodies {

	private EventBodies() {
	}

	/**
	 * The body as a {@code type}; {@code kind} names it in the rejection ("not a MeetingCreated JSON document").
	 * @throws MalformedEventException when the body is not JSON of that shape, or empty
	 */
	static <T> T parse(JsonMapper json, byte[] body, Class<T> type, String kind) {
		T event;
		try {
			event = json.readValue(body, type);
		}
		catch (JacksonException ex) {
			// the parser's message quotes the input, which may be large or hostile: keep only its kind
			throw new MalformedEventException("not " + kind + " JSON document (" + ex.getClass().getSimpleName() + ")");
		}
		if (event == null) {
			throw new MalformedEventException("empty body");
		}
		return event;
	}

	/** @throws MalformedEventException naming {@code field} unless it is {@code present} */
	static void require(boolean present, String field) {
		if (!present) {
			throw new MalformedEventException("missing or empty " + field);
		}
	}

}
