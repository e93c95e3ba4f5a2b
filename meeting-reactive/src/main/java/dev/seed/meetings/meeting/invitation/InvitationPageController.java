package dev.seed.meetings.meeting.invitation;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.Hidden;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code /invitations/{token}}: the page an invitation email links to, with no sign-in. Plain HTML, no script and no
 * asset from elsewhere: its buttons are a form that posts the answer back here, which records it through the same use
 * case as the API and shows the page again (303, so that reloading does not answer twice). Any token that stands for
 * no invitation gets a plain 404 page.
 */
@Hidden
@RestController
@RequestMapping("/invitations/{token}")
class InvitationPageController {

	static final String NOT_FOUND_PAGE = page("Invitation not found",
			"<h1>Invitation not found</h1>\n<p>This invitation link is not valid, or its meeting no longer exists.</p>\n");

	/** Only what the page itself holds: inline styles and a form posting to this origin. */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
			+ "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

	private final Invitations invitations;

	InvitationPageController(Invitations invitations) {
		this.invitations = invitations;
	}

	@GetMapping(produces = MediaType.TEXT_HTML_VALUE)
	Mono<ResponseEntity<String>> page(@PathVariable String token) {
		return this.invitations.find(token)
			.map((invitation) -> html(HttpStatus.OK, render(invitation, token)))
			.onErrorResume(InvitationNotFoundException.class, (ex) -> Mono.just(notFound()));
	}

	/** The page's form: {@code response=accepted|tentative|declined}, then back to the page. */
	@PostMapping(consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Mono<ResponseEntity<String>> answer(@PathVariable String token, ServerWebExchange exchange) {
		return exchange.getFormData()
			.flatMap((form) -> this.invitations.answer(token, form.getFirst("response")))
			.map((invitation) -> ResponseEntity.status(HttpStatus.SEE_OTHER)
				.location(URI.create("/invitations/" + token))
				.<String>build())
			.onErrorResume(InvitationNotFoundException.class, (ex) -> Mono.just(notFound()))
			.onErrorResume(InvitationCancelledException.class, (ex) -> Mono.just(html(HttpStatus.CONFLICT,
					page("Meeting cancelled", "<h1>Meeting cancelled</h1>\n<p>This meeting was cancelled; there is "
							+ "nothing to answer.</p>\n"))))
			.onErrorResume(InvalidResponseException.class, (ex) -> Mono.just(html(HttpStatus.BAD_REQUEST,
					page("Invalid answer", "<h1>Invalid answer</h1>\n<p>Choose Accept, Tentative or Decline.</p>\n"))));
	}

	private static ResponseEntity<String> notFound() {
		return html(HttpStatus.NOT_FOUND, NOT_FOUND_PAGE);
	}

	private static ResponseEntity<String> html(HttpStatus status, String body) {
		return ResponseEntity.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(body);
	}

	static String render(InvitationView invitation, String token) {
		String when = DAY.format(invitation.startAt()) + ", " + TIME.format(invitation.startAt()) + " – "
				+ (invitation.endAt().toLocalDate().equals(invitation.startAt().toLocalDate()) ? ""
						: DAY.format(invitation.endAt()) + ", ")
				+ TIME.format(invitation.endAt()) + " (" + invitation.timezone() + ")";
		String organizer = (invitation.organizer().name() != null) ? invitation.organizer().name() : "unknown";
		String others = invitation.attendees().isEmpty() ? "<li>nobody else</li>"
				: invitation.attendees()
					.stream()
					.map((other) -> "<li>" + escape(other.name()) + " <small>(" + escape(other.response())
							+ ")</small></li>")
					.collect(Collectors.joining("\n"));
		String body = "<h1>" + escape(invitation.title()) + "</h1>\n"
				+ (invitation.cancelled() ? "<p id=\"cancelled\"><strong>This meeting was cancelled.</strong></p>\n" : "")
				+ "<dl>\n<dt>When</dt><dd>" + escape(when)
				+ "</dd>\n" + ((invitation.location() != null)
						? "<dt>Where</dt><dd>" + escape(invitation.location()) + "</dd>\n" : "")
				+ "<dt>Organizer</dt><dd>" + escape(organizer) + "</dd>\n<dt>Other attendees</dt><dd><ul>\n" + others
				+ "\n</ul></dd>\n<dt>Your answer</dt><dd id=\"response\">" + escape(invitation.attendee().response())
				+ "</dd>\n</dl>\n" + (invitation.cancelled() ? "" : "<p>" + escape(invitation.attendee().name())
						+ ", will you attend?</p>\n" + "<form method=\"post\" action=\"/invitations/" + escape(token)
						+ "\">\n" + "<button name=\"response\" value=\"accepted\">Accept</button>\n"
						+ "<button name=\"response\" value=\"tentative\">Tentative</button>\n"
						+ "<button name=\"response\" value=\"declined\">Decline</button>\n</form>\n");
		return page(invitation.title(), body);
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
				+ "</title>\n<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
				+ "dt{font-weight:bold;margin-top:.5em}button{font-size:1em;margin-right:.5em;padding:.4em 1em}</style>\n"
				+ "</head>\n<body>\n" + body + "</body>\n</html>\n";
	}

	private static String escape(String text) {
		return (text != null) ? HtmlUtils.htmlEscape(text, "UTF-8") : "";
	}

}
