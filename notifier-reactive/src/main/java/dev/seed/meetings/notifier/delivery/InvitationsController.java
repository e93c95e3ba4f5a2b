package dev.seed.meetings.notifier.delivery;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-attendee delivery status of a meeting's invitations and of the mails about its changes, and the failed
 * invitations for operators to replay.
 */
@RestController
class InvitationsController {

	private static final Comparator<Deliveries.Invitation> BY_ATTENDEE_AND_SEQUENCE = Comparator
		.comparing(Deliveries.Invitation::userId)
		.thenComparingInt(Deliveries.Invitation::sequence);

	private static final String OPERATORS = "For operators: served on the notifier's own port only; the gateway "
			+ "does not route it.";

	private final Deliveries deliveries;

	private final ChangeDeliveries changes;

	InvitationsController(Deliveries deliveries, ChangeDeliveries changes) {
		this.deliveries = deliveries;
		this.changes = changes;
	}

	/** Each attendee's mails about the meeting, by sequence: the invitation (0), then one per change mailed to them. */
	@GetMapping("/api/meetings/{meetingId}/invitations")
	Mono<MeetingInvitations> invitations(@PathVariable String meetingId) {
		UUID id = parse(meetingId);
		return this.deliveries.findByMeeting(id)
			.concatWith(this.changes.findByMeeting(id))
			.sort(BY_ATTENDEE_AND_SEQUENCE)
			.collectList()
			.filter((invitations) -> !invitations.isEmpty())
			.map((invitations) -> new MeetingInvitations(id, invitations))
			.switchIfEmpty(Mono.error(() -> problem(HttpStatus.NOT_FOUND, "No invitations",
					"No invitations are recorded for meeting " + id + ".")));
	}

	/**
	 * The invitations that failed for good (a 5xx reply, an address that is not one, or transient failures past
	 * the retry horizon), newest first. For operators: on the notifier's own port, not routed by the gateway.
	 */
	@Operation(summary = "Invitations that failed for good", description = OPERATORS)
	@GetMapping("/api/invitations/failed")
	Mono<FailedInvitations> failed(@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1_000) {
			throw problem(HttpStatus.BAD_REQUEST, "Invalid limit", "limit must be between 1 and 1000.");
		}
		return this.deliveries.findFailed(limit).collectList().map(FailedInvitations::new);
	}

	/**
	 * Schedules the failed invitations (of one meeting with {@code meetingId}, else all) for an attempt now, with a
	 * fresh retry horizon. For operators, like the list.
	 */
	@Operation(summary = "Schedule failed invitations for an attempt now", description = OPERATORS)
	@PostMapping("/api/invitations/failed/replay")
	Mono<Replayed> replay(@RequestParam(required = false) String meetingId) {
		UUID id = (meetingId != null) ? parse(meetingId) : null;
		return this.deliveries.replayFailed(id).map(Replayed::new);
	}

	record FailedInvitations(List<Deliveries.FailedInvitation> invitations) {
	}

	record Replayed(long scheduled) {
	}

	private static UUID parse(String meetingId) {
		try {
			return UUID.fromString(meetingId);
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.BAD_REQUEST, "Invalid meeting id", "meetingId must be a UUID.");
		}
	}

	record MeetingInvitations(UUID meetingId, List<Deliveries.Invitation> invitations) {
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
