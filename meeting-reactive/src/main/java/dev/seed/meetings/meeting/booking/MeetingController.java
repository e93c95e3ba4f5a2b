package dev.seed.meetings.meeting.booking;

import java.net.URI;
import java.util.UUID;

import reactor.core.publisher.Mono;

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

	static final String CALLER_HEADER = "X-User-Id";

	private final MeetingBooking booking;

	MeetingController(MeetingBooking booking) {
		this.booking = booking;
	}

	/** Books a meeting; the organizer is the caller the gateway names in {@code X-User-Id}, else none (null). */
	@PostMapping
	Mono<ResponseEntity<BookingResponse>> create(@RequestBody CreateMeetingRequest request,
			@RequestHeader(name = CALLER_HEADER, required = false) String caller) {
		return this.booking.book(request, organizer(caller))
			.map((meeting) -> ResponseEntity.created(URI.create("/api/meetings/" + meeting.meetingId()))
				.body(new BookingResponse(meeting.meetingId(), meeting.status())));
	}

	@GetMapping("/{meetingId}")
	Mono<Meeting> find(@PathVariable String meetingId) {
		return Mono.fromCallable(() -> UUID.fromString(meetingId))
			.onErrorMap(IllegalArgumentException.class, (ex) -> new InvalidMeetingIdException(meetingId))
			.flatMap(this.booking::find);
	}

	private static String organizer(String caller) {
		return (caller == null || caller.isBlank()) ? null : caller.strip();
	}

	record BookingResponse(UUID meetingId, String status) {
	}

}
