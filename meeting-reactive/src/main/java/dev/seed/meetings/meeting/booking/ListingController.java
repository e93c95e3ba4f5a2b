package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.seed.meetings.meeting.booking.Callers;
import dev.seed.meetings.meeting.booking.Viewer;

/**
 * {@code GET /api/meetings?from=&to=&attendee=}: the caller's meetings (organized or attended) overlapping the
 * window, by start time, streamed as a JSON array ({@code application/json}) or as JSON lines ({@code application/x-ndjson}) at the pace the client reads.
 */
@RestController
class ListingController {

	private final MeetingListing listing;

	private final Duration maxWindow;

	private final Callers callers;

	ListingController(MeetingListing listing, ListingProperties properties, Callers callers) {
		this.listing = listing;
		this.maxWindow = properties.maxWindow();
		this.callers = callers;
	}

	/** Only the meetings the caller organizes or attends, unless their token has {@code meetings:admin}. */
	@Operation(summary = "List the caller's meetings in a time window",
			description = "The meetings overlapping [from, to) that the caller organizes or attends (every meeting's "
					+ "with the scope meetings:admin), by start time, as they now are: cancelled ones with status "
					+ "cancelled, each attendee's answer in responses. from and to are ISO-8601 with an offset, at most "
					+ "meeting.listing.max-window apart; attendee keeps only the meetings that person attends. A JSON "
					+ "array, or application/x-ndjson one meeting per line; 400 problem+json naming a bad parameter.")
	// the request headers every handler declares for the OpenAPI document, as in StreamController
	@GetMapping(path = "/api/meetings", produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE })
	Flux<ListedMeeting> list(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String attendee,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.SCOPES_HEADER, required = false) String scopes,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		Viewer viewer = this.callers.viewer(caller, scopes, gatewayToken);
		OffsetDateTime start = time("from", from);
		OffsetDateTime end = time("to", to);
		if (!end.isAfter(start)) {
			throw new InvalidQueryException("to", "must be after from");
		}
		if (Duration.between(start, end).compareTo(this.maxWindow) > 0) {
			throw new InvalidQueryException("to", "must be at most " + this.maxWindow.toDays() + " days after from");
		}
		String userId = (attendee != null) ? attendee.strip() : null;
		if (userId != null && userId.isEmpty()) {
			throw new InvalidQueryException("attendee", "must not be blank");
		}
		return this.listing.list(start, end, userId, viewer);
	}

	private static OffsetDateTime time(String parameter, String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidQueryException(parameter, "is required (ISO-8601 with an offset)");
		}
		try {
			// an unencoded "+" in a query string arrives as a space
			return OffsetDateTime.parse(value.strip().replace(' ', '+'));
		}
		catch (DateTimeParseException ex) {
			throw new InvalidQueryException(parameter, "must be ISO-8601 with an offset, e.g. 2026-12-01T00:00:00+09:00");
		}
	}

}
