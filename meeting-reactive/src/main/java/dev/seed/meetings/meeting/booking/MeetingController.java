package dev.seed.meetings.meeting.booking;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/meetings}.
 */
@RestController
@RequestMapping("/api/meetings")
class MeetingController {

	/** Scope of the idempotency keys of requests that name no caller. */
	static final String ANONYMOUS = "anonymous";

	static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

	private final MeetingBooking booking;

	private final Callers callers;

	private final JsonMapper json;

	// collaborators in, fields out: the shape of any constructor (listed beside the notifier's Notice)
	MeetingController(MeetingBooking booking, Callers callers, JsonMapper json) {
		this.booking = booking;
		this.callers = callers;
		this.json = json;
	}

	/** Books a meeting; the organizer is the caller the gateway names in {@code X-User-Id}, else none (null). */
	@PostMapping
	Mono<ResponseEntity<BookingResponse>> create(@RequestBody CreateMeetingRequest request,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken,
			@RequestHeader(name = IDEMPOTENCY_HEADER, required = false) String idempotencyKey) {
		String organizer = this.callers.caller(caller, gatewayToken);
		IdempotencyKey key = (idempotencyKey == null || idempotencyKey.isBlank()) ? null
				: new IdempotencyKey((organizer != null) ? organizer : ANONYMOUS, idempotencyKey.strip(), hash(request));
		return this.booking.book(request, organizer, key)
			.map((meeting) -> ResponseEntity.created(URI.create("/api/meetings/" + meeting.meetingId()))
				.eTag(MeetingChanges.etag(meeting.version()))
				.body(new BookingResponse(meeting.meetingId(), meeting.status())));
	}

	/**
	 * The meeting with its version as {@code ETag}, for a later {@code If-Match}; to its organizer, its attendees and
	 * operators only: anyone else gets 404 as for no meeting.
	 */
	@GetMapping("/{meetingId}")
	Mono<ResponseEntity<Meeting>> find(@PathVariable String meetingId,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.SCOPES_HEADER, required = false) String scopes,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		Viewer viewer = this.callers.viewer(caller, scopes, gatewayToken);
		return parse(meetingId).flatMap((id) -> this.booking.find(id)
			.filter((meeting) -> meeting.visibleTo(viewer))
			.switchIfEmpty(Mono.error(() -> new MeetingNotFoundException(id))))
			.map((meeting) -> ResponseEntity.ok().eTag(MeetingChanges.etag(meeting.version())).body(meeting));
	}

	static Mono<UUID> parse(String meetingId) {
		return Mono.fromCallable(() -> UUID.fromString(meetingId))
			.onErrorMap(IllegalArgumentException.class, (ex) -> new InvalidMeetingIdException(meetingId));
	}

	/** Hash of the request as parsed, so that whitespace or field order do not make a retry look different. */
	private String hash(CreateMeetingRequest request) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(this.json.writeValueAsBytes(request));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record BookingResponse(UUID meetingId, String status) {
	}

}
