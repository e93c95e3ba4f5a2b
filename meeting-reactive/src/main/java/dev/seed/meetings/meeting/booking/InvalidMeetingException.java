package dev.seed.meetings.meeting.booking;

import java.util.List;

/**
 * The request breaks one or more rules; each {@link FieldError} names the field.
 */
public class InvalidMeetingException extends RuntimeException {

	private final List<FieldError> errors;

	private final List<String> duplicateAttendees;

	InvalidMeetingException(List<FieldError> errors, List<String> duplicateAttendees) {
		super("Invalid meeting: " + errors);
		this.errors = List.copyOf(errors);
		this.duplicateAttendees = List.copyOf(duplicateAttendees);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	public List<String> duplicateAttendees() {
		return this.duplicateAttendees;
	}

	/** A broken rule: the field, what is wrong with it, and what it should be. */
	public record FieldError(String field, String message, String expected) {
	}

}
