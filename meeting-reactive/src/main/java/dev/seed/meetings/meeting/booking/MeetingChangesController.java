package dev.seed.meetings.meeting.booking;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PATCH} and {@code DELETE /api/meetings/{id}}: the organizer changes or cancels a meeting.
 */
@RestController
@RequestMapping("/api/meetings")
class MeetingChangesController {

	static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private final MeetingChanges changes;

	private final Callers callers;

	MeetingChangesController(MeetingChanges changes, Callers callers) {
		this.changes = changes;
		this.callers = callers;
	}

	/** A JSON merge patch of title, startAt, endAt, location, attendees; If-Match with the ETag read is required. */
	@Operation(summary = "Change a meeting (organizer only)",
			description = "A JSON merge patch (RFC 7396) of title, startAt, endAt, location, attendees. If-Match must "
					+ "carry the ETag of the version changed: 428 without it, 412 (with currentVersion and the current "
					+ "ETag) when the meeting changed since. 200 with the meeting and its new ETag; 400/422 as for a "
					+ "booking; 403 for an attendee, 404 for anyone else; 409 when cancelled. A new time sets every "
					+ "answer back to needs-action. Emits MeetingUpdated (meeting.updated).")
	// the request headers each handler declares for the OpenAPI document, as cancel does below
	@PatchMapping(path = "/{meetingId}", consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	Mono<ResponseEntity<Meeting>> change(@PathVariable String meetingId, @RequestBody JsonNode patch,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		String organizer = this.callers.caller(caller, gatewayToken);
		return MeetingController.parse(meetingId)
			.flatMap((id) -> this.changes.change(id, organizer, ifMatch, patch))
			.map((meeting) -> ResponseEntity.ok().eTag(MeetingChanges.etag(meeting.version())).body(meeting));
	}

	/**
	 * Cancels the meeting (it stays readable, {@code status: cancelled}); If-Match is optional. Its header parameters
	 * repeat {@link #change}'s on purpose: each method declares what it reads, for the framework and the document.
	 */
	@Operation(summary = "Cancel a meeting (organizer only)",
			description = "204; the meeting stays readable with status cancelled, and a cancelled meeting cannot be "
					+ "changed (409). If-Match is optional (412 when stale). 403 for an attendee, 404 for anyone else. "
					+ "Emits MeetingCancelled (meeting.cancelled) once.")
	// the request headers each handler declares for the OpenAPI document, as change does above
	@DeleteMapping("/{meetingId}")
	Mono<ResponseEntity<Void>> cancel(@PathVariable String meetingId,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		String organizer = this.callers.caller(caller, gatewayToken);
		return MeetingController.parse(meetingId)
			.flatMap((id) -> this.changes.cancel(id, organizer, ifMatch))
			.then(Mono.just(ResponseEntity.noContent().build()));
	}

}
