package dev.seed.meetings.meeting.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Validator;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.booking.InvalidMeetingException.FieldError;

/**
 * All the contract's rules for a new meeting, reported together.
 */
@Component
class MeetingRequestValidator {

	static final int MAX_ATTENDEES = 200;

	static final Duration MAX_DURATION = Duration.ofDays(7);

	static final int YEARS_AROUND_NOW = 5;

	/** What each field should be, in the words an error answer gives the caller. */
	static final Map<String, String> EXPECTED = Map.of("title",
			"text of 1 to 200 characters without control characters, e.g. \"Design review\"", "startAt",
			"an ISO-8601 date-time with an offset, e.g. 2026-12-01T10:00:00+09:00, within " + YEARS_AROUND_NOW
					+ " years of today",
			"endAt",
			"an ISO-8601 date-time with an offset after startAt and at most " + MAX_DURATION.toDays()
					+ " days after it, e.g. 2026-12-01T11:00:00+09:00",
			"location", "text of at most 200 characters without control characters, or nothing, e.g. \"Room 3F-A\"",
			"attendees", "a list of 1 to " + MAX_ATTENDEES + " different user ids, e.g. [\"u-1002\", \"u-1003\"]",
			"attendees[]", "a user id of 1 to 100 characters without control characters, e.g. \"u-1002\"");

	private final Validator validator;

	private final Clock clock;

	MeetingRequestValidator(Validator validator, Clock clock) {
		this.validator = validator;
		this.clock = clock;
		// Hibernate Validator reads its message bundles from the jar on first use: do it now, not on a Netty thread
		validator.validate(new CreateMeetingRequest(" ", null, null, null, List.of()));
	}

	Mono<CreateMeetingRequest> validate(CreateMeetingRequest request) {
		List<FieldError> errors = errors(request, List.of());
		return errors.isEmpty() ? Mono.just(request)
				: Mono.error(new InvalidMeetingException(errors, duplicates(request.attendees())));
	}

	/**
	 * A request of which some fields could not be read ({@code unreadable}, left null in {@code request}): those,
	 * and every rule the rest of it breaks.
	 */
	InvalidMeetingException invalid(CreateMeetingRequest request, List<FieldError> unreadable) {
		return new InvalidMeetingException(errors(request, unreadable), duplicates(request.attendees()));
	}

	static FieldError error(String field, String message) {
		return new FieldError(field, message, EXPECTED.get(field.replaceAll("\\[\\d+\\]", "[]")));
	}

	private List<FieldError> errors(CreateMeetingRequest request, List<FieldError> unreadable) {
		Set<String> unreadableFields = new HashSet<>();
		unreadable.forEach((error) -> unreadableFields.add(error.field()));
		List<FieldError> errors = new ArrayList<>(unreadable);
		this.validator.validate(request)
			.stream()
			.filter((violation) -> !unreadableFields.contains(violation.getPropertyPath().toString()))
			.map((violation) -> error(violation.getPropertyPath().toString(), violation.getMessage()))
			.forEach(errors::add);
		rejectControlCharacters("title", request.title(), errors);
		rejectControlCharacters("location", request.location(), errors);
		checkTimes(request.startAt(), request.endAt(), errors);
		List<String> duplicates = duplicates(request.attendees());
		if (!duplicates.isEmpty()) {
			errors.add(error("attendees", "duplicate attendee ids: " + String.join(", ", duplicates)));
		}
		if (request.attendees() != null) {
			for (int i = 0; i < request.attendees().size(); i++) {
				rejectControlCharacters("attendees[" + i + "]", request.attendees().get(i), errors);
			}
		}
		errors.sort(Comparator.comparing(FieldError::field));
		return errors;
	}

	private void checkTimes(OffsetDateTime startAt, OffsetDateTime endAt, List<FieldError> errors) {
		if (startAt != null) {
			OffsetDateTime now = OffsetDateTime.now(this.clock);
			if (startAt.isBefore(now.minusYears(YEARS_AROUND_NOW)) || startAt.isAfter(now.plusYears(YEARS_AROUND_NOW))) {
				errors.add(error("startAt", "must be within " + YEARS_AROUND_NOW + " years of today"));
			}
		}
		if (startAt != null && endAt != null) {
			if (!endAt.isAfter(startAt)) {
				errors.add(error("endAt", "must be after startAt"));
			}
			else if (Duration.between(startAt, endAt).compareTo(MAX_DURATION) > 0) {
				errors.add(error("endAt", "a meeting lasts at most " + MAX_DURATION.toDays() + " days"));
			}
		}
	}

	private static void rejectControlCharacters(String field, String value, List<FieldError> errors) {
		if (value != null && value.chars().anyMatch(Character::isISOControl)) {
			errors.add(error(field, "must not contain control characters"));
		}
	}

	private static List<String> duplicates(List<String> attendees) {
		if (attendees == null) {
			return List.of();
		}
		Set<String> seen = new HashSet<>();
		Set<String> duplicates = new LinkedHashSet<>();
		for (String attendee : attendees) {
			if (attendee != null && !seen.add(attendee)) {
				duplicates.add(attendee);
			}
		}
		return List.copyOf(duplicates);
	}

}
