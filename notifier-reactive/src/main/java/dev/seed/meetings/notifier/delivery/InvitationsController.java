package dev.seed.meetings.notifier.delivery;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Per-attendee delivery status of a meeting's invitations and of the mails about its changes. */
@RestController
class InvitationsController {

	private static final Comparator<Deliveries.Invitation> BY_ATTENDEE_AND_SEQUENCE = Comparator
		.comparing(Deliveries.Invitation::userId)
		.thenComparingInt(Deliveries.Invitation::sequence);

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
