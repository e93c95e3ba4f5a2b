package dev.seed.meetings.meeting.stream;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.seed.meetings.meeting.booking.Callers;
import dev.seed.meetings.meeting.booking.InvalidQueryException;
import dev.seed.meetings.meeting.booking.Viewer;

/**
 * {@code GET /api/meetings/stream}: live {@code MeetingCreated}, {@code InvitationSent}, {@code InvitationFailed} and
 * {@code InvitationAnswered} events of the meetings the caller organizes or attends (every meeting's with the scope
 * {@code meetings:admin}), optionally only those of one meeting ({@code meetingId}) or one attendee ({@code attendee}).
 * <ul>
 * <li>{@code text/event-stream}: {@code id:} (resume with {@code Last-Event-ID}), {@code event:} (the type),
 * {@code data:} (the event's JSON); a comment line at once and then every {@code meeting.stream.heartbeat}.</li>
 * <li>{@code application/x-ndjson}: the events' JSON, one per line, with a {@code {"type":"heartbeat"}} line at
 * once and then every heartbeat interval.</li>
 * </ul>
 * Either way a subscriber that falls {@code meeting.stream.subscriber-buffer} events behind gets a final
 * {@code dropped} notice and its stream ends (see {@link LiveEventHub}).
 */
@RestController
class StreamController {

	static final String PATH = "/api/meetings/stream";

	private final LiveEventHub hub;

	private final StreamProperties properties;

	private final JsonNode heartbeatLine;

	private final Callers callers;

	// collaborators in, fields out: the shape of any constructor (listed beside OutboxRelay's)
	StreamController(LiveEventHub hub, StreamProperties properties, JsonMapper json, Callers callers) {
		this.hub = hub;
		this.properties = properties;
		this.heartbeatLine = json.createObjectNode().put("type", "heartbeat");
		this.callers = callers;
	}

	@GetMapping(path = PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> serverSentEvents(@RequestParam(required = false) String meetingId,
			@RequestParam(required = false) String attendee,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.SCOPES_HEADER, required = false) String scopes,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		Viewer viewer = this.callers.viewer(caller, scopes, gatewayToken);
		Flux<ServerSentEvent<String>> events = events(meetingId, attendee, lastEventId, viewer)
			.map(StreamController::toSse);
		return withHeartbeats(events, ServerSentEvent.<String>builder().comment("heartbeat").build(),
				this.properties.heartbeat());
	}

	// the request headers each handler declares (hidden from the OpenAPI document, as the gateway sets them), as in
	// ListingController: a declaration the framework reads where it stands
	@GetMapping(path = PATH, produces = MediaType.APPLICATION_NDJSON_VALUE)
	Flux<JsonNode> jsonLines(@RequestParam(required = false) String meetingId,
			@RequestParam(required = false) String attendee,
			@Parameter(hidden = true) @RequestHeader(name = Callers.CALLER_HEADER, required = false) String caller,
			@Parameter(hidden = true) @RequestHeader(name = Callers.SCOPES_HEADER, required = false) String scopes,
			@Parameter(hidden = true) @RequestHeader(name = Callers.GATEWAY_TOKEN_HEADER,
					required = false) String gatewayToken) {
		Viewer viewer = this.callers.viewer(caller, scopes, gatewayToken);
		return withHeartbeats(events(meetingId, attendee, null, viewer).map(StreamEvent::data), this.heartbeatLine,
				this.properties.heartbeat());
	}

	/** Only the events of meetings the viewer takes part in (all of them for an operator), then the query's filters. */
	private Flux<StreamEvent> events(String meetingId, String attendee, String lastEventId, Viewer viewer) {
		Predicate<StreamEvent> filter = filter(meetingId, attendee);
		return this.hub.subscribe(lastEventId, ((Predicate<StreamEvent>) (event) -> event.visibleTo(viewer)).and(filter),
				this.properties.subscriberBuffer());
	}

	/**
	 * A heartbeat at once and then one {@code every} interval, until the events end. The first one is emitted while
	 * the response is subscribed, not by the timer: the response (status and headers included) starts even when every
	 * thread of the timer's scheduler is busy.
	 */
	static <T> Flux<T> withHeartbeats(Flux<T> events, T heartbeat, Duration every) {
		Flux<T> heartbeats = Flux.interval(every)
			.onBackpressureDrop()
			.map((tick) -> heartbeat)
			.startWith(heartbeat);
		return events.publish((shared) -> Flux.merge(shared, heartbeats.takeUntilOther(shared.then())));
	}

	private static Predicate<StreamEvent> filter(String meetingId, String attendee) {
		Predicate<StreamEvent> filter = (event) -> true;
		if (meetingId != null) {
			String id = uuid(meetingId);
			filter = filter.and((event) -> id.equals(event.meetingId()));
		}
		if (attendee != null) {
			String userId = attendee.strip();
			if (userId.isEmpty()) {
				throw new InvalidQueryException("attendee", "must not be blank");
			}
			filter = filter.and((event) -> event.userIds().contains(userId));
		}
		return filter;
	}

	private static String uuid(String meetingId) {
		try {
			return UUID.fromString(meetingId.strip()).toString();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidQueryException("meetingId", "must be a UUID");
		}
	}

	private static ServerSentEvent<String> toSse(StreamEvent event) {
		ServerSentEvent.Builder<String> sse = ServerSentEvent.builder(event.json()).event(event.type());
		// a notice has no id, so that a client resumes from the last event it really got
		return event.isNotice() ? sse.build() : sse.id(event.id()).build();
	}

}
