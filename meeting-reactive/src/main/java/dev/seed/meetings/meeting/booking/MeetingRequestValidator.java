package dev.seed.meetings.meeting.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
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

	private final Validator validator;

	private final Clock clock;

	MeetingRequestValidator(Validator validator, Clock clock) {
		this.validator = validator;
		this.clock = clock;
		// Hibernate Validator reads its message bundles from the jar on first use: do it now, not on a Netty thread
		validator.validate(new CreateMeetingRequest(" ", null, null, null, List.of()));
	}

	Mono<CreateMeetingRequest> validate(CreateMeetingRequest request) {
		List<FieldError> errors = new ArrayList<>();
		this.validator.validate(request)
			.stream()
			.sorted(Comparator.comparing((ConstraintViolation<?> violation) -> violation.getPropertyPath().toString()))
			.forEach((violation) -> errors.add(new FieldError(violation.getPropertyPath().toString(),
					violation.getMessage())));
		rejectControlCharacters("title", request.title(), errors);
		rejectControlCharacters("location", request.location(), errors);
		checkTimes(request.startAt(), request.endAt(), errors);
		List<String> duplicates = duplicates(request.attendees());
		if (!duplicates.isEmpty()) {
			errors.add(new FieldError("attendees", "duplicate attendee ids: " + String.join(", ", duplicates)));
		}
		if (request.attendees() != null) {
			for (int i = 0; i < request.attendees().size(); i++) {
				rejectControlCharacters("attendees[" + i + "]", request.attendees().get(i), errors);
			}
		}
		return errors.isEmpty() ? Mono.just(request) : Mono.error(new InvalidMeetingException(errors, duplicates));
	}

	private void checkTimes(OffsetDateTime startAt, OffsetDateTime endAt, List<FieldError> errors) {
		if (startAt != null) {
			OffsetDateTime now = OffsetDateTime.now(this.clock);
			if (startAt.isBefore(now.minusYears(YEARS_AROUND_NOW)) || startAt.isAfter(now.plusYears(YEARS_AROUND_NOW))) {
				errors.add(new FieldError("startAt", "must be within " + YEARS_AROUND_NOW + " years of today"));
			}
		}
		if (startAt != null && endAt != null) {
			if (!endAt.isAfter(startAt)) {
				errors.add(new FieldError("endAt", "must be after startAt"));
			}
			else if (Duration.between(startAt, endAt).compareTo(MAX_DURATION) > 0) {
				errors.add(new FieldError("endAt", "a meeting lasts at most " + MAX_DURATION.toDays() + " days"));
			}
		}
	}

	private static void rejectControlCharacters(String field, String value, List<FieldError> errors) {
		if (value != null && value.chars().anyMatch(Character::isISOControl)) {
			errors.add(new FieldError(field, "must not contain control characters"));
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
