package dev.seed.meetings.meeting.invitation;

import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/invitations/{token}}: the invited person's API, with no bearer token (the link's token is the
 * credential; the gateway limits calls per client address).
 */
@RestController
@RequestMapping("/api/invitations/{token}")
@SecurityRequirements
class InvitationApiController {

	private final Invitations invitations;

	InvitationApiController(Invitations invitations) {
		this.invitations = invitations;
	}

	@GetMapping
	Mono<InvitationView> find(@PathVariable String token) {
		return this.invitations.find(token);
	}

	/** Answers the invitation; answering again replaces the answer. */
	@PostMapping("/response")
	Mono<InvitationView> answer(@PathVariable String token, @RequestBody AnswerRequest request) {
		return this.invitations.answer(token, request.response());
	}

}
