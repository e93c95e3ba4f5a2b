package dev.seed.meetings.notifier.invitation;

import java.util.regex.Pattern;

/** User text made safe for a single-line place (a subject, a display name, an iCalendar value). */
final class Text {

	private static final Pattern CONTROL_RUNS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\s]+");

	private Text() {
	}

	/** Control characters (CR and LF included) become one space, so the value can never start a new header. */
	static String oneLine(String value) {
		if (value == null) {
			return "";
		}
		return CONTROL_RUNS.matcher(value).replaceAll(" ").strip();
	}

	/**
	 * A value for an iCalendar parameter (a CN): one line, and no double quote, which a parameter value cannot hold
	 * even quoted (RFC 5545 §3.1); ical4j adds the quotes that a comma, colon or semicolon needs.
	 */
	static String parameter(String value) {
		return oneLine(value).replace('"', '\'');
	}

}
