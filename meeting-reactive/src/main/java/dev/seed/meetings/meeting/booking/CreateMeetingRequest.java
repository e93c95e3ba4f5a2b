package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/meetings}. The rules that span fields live in {@link MeetingRequestValidator}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateMeetingRequest(@NotBlank @Size(max = 200) String title, @NotNull OffsetDateTime startAt,
		@NotNull OffsetDateTime endAt, @Size(max = 200) String location,
		@NotNull @Size(min = 1, max = MeetingRequestValidator.MAX_ATTENDEES,
				message = "must list between 1 and " + MeetingRequestValidator.MAX_ATTENDEES
						+ " attendees") List<@NotBlank @Size(max = 100) String> attendees) {
}
