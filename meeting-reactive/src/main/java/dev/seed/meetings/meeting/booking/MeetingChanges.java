package dev.seed.meetings.meeting.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;

import dev.seed.meetings.meeting.attendee.AttendeeProfile;
import dev.seed.meetings.meeting.attendee.AttendeeResolver;
import dev.seed.meetings.meeting.attendee.AttendeeResolver.Participants;
import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.support.context.RequestContext;
import dev.seed.meetings.meeting.ids.TimeOrderedIds;
import dev.seed.meetings.meeting.transaction.Transactions;
import dev.seed.meetings.meeting.events.ChangeEvent;
import dev.seed.meetings.meeting.events.MeetingCancelled;
import dev.seed.meetings.meeting.events.MeetingCreated;
import dev.seed.meetings.meeting.events.MeetingUpdated;
import dev.seed.meetings.meeting.events.Outbox;
import dev.seed.meetings.meeting.events.OutboxEntry;
import dev.seed.meetings.meeting.events.OutboxRelay;

/**
 * The meeting's life after booking, by its organizer: change (a merge patch) and cancel. Each reads the meeting
 * from the database, checks the caller, the state and the version the caller read ({@code If-Match}), then writes
 * the change, its version and its event in one transaction with an update conditional on that version, so that of
 * concurrent changes from the same version exactly one wins; then caches and publishes as a booking does.
 */
@Service
public class MeetingChanges {

	private static final Logger log = LoggerFactory.getLogger(MeetingChanges.class);

	private final MeetingStore meetings;

	private final MeetingChangeStore changes;

	private final MeetingRequestValidator validator;

	private final AttendeeResolver attendees;

	private final Outbox outbox;

	private final MeetingCache cache;

	private final OutboxRelay relay;

	private final Transactions tx;

	private final Clock clock;

	private final JsonMapper json;

	private final Duration publishBound;

	// the same shape as MeetingBooking's and Invitations' constructors: each use case takes its own collaborators
	MeetingChanges(MeetingStore meetings, MeetingChangeStore changes, MeetingRequestValidator validator,
			AttendeeResolver attendees, Outbox outbox, MeetingCache cache, OutboxRelay relay,
			ReactiveTransactionManager transactionManager, Clock clock, JsonMapper json, MeetingProperties properties) {
		this.meetings = meetings;
		this.changes = changes;
		this.validator = validator;
		this.attendees = attendees;
		this.outbox = outbox;
		this.cache = cache;
		this.relay = relay;
		this.tx = Transactions.create(transactionManager);
		this.clock = clock;
		this.json = json;
		this.publishBound = properties.events().confirmTimeout().plusSeconds(1);
	}

	/** {@code "<version>"}: the meeting's ETag. */
	static String etag(int version) {
		return "\"" + version + "\"";
	}

	/** Applies the organizer's merge patch to the version they read; gives the meeting as it now is. */
	public Mono<Meeting> change(UUID meetingId, String caller, String ifMatch, JsonNode patch) {
		return current(meetingId)
			.map((meeting) -> checked(meeting, caller, ifMatch, true))
			.flatMap((meeting) -> this.validator.validate(MeetingPatch.apply(meeting, patch, this.json))
				.flatMap((request) -> withProfiles(meeting, request)))
			// a patch that changes nothing is answered with the meeting as it is: no new version, nobody mailed
			.flatMap((change) -> MeetingPatch.changed(change.before(), change.after()).isEmpty()
					? Mono.just(change.before()) : saveChange(change).flatMap(this::cacheAndPublish));
	}

	/** Cancels the meeting; a meeting already cancelled stays so, and nothing is sent again. */
	public Mono<Meeting> cancel(UUID meetingId, String caller, String ifMatch) {
		return current(meetingId)
			.filter((meeting) -> !Meeting.CANCELLED.equals(checked(meeting, caller, null, false).status()))
			.map((meeting) -> checked(meeting, caller, ifMatch, false))
			.flatMap((meeting) -> participantsOf(meeting).flatMap((participants) -> saveCancellation(meeting,
					participants)))
			.flatMap(this::cacheAndPublish);
	}

	/** From the database, not the cache: a change starts from the committed state. */
	private Mono<Meeting> current(UUID meetingId) {
		return this.meetings.findById(meetingId).switchIfEmpty(Mono.error(() -> new MeetingNotFoundException(meetingId)));
	}

	/**
	 * The organizer may go on; an attendee gets 403 and anyone else 404 (the meeting is none of their business);
	 * then 409 for a cancelled meeting (when changing), 428 without If-Match (when required), 412 for another version.
	 */
	private static Meeting checked(Meeting meeting, String caller, String ifMatch, boolean changing) {
		if (caller == null || !caller.equals(meeting.organizerId())) {
			boolean attendee = caller != null
					&& meeting.attendees().stream().anyMatch((a) -> a.userId().equals(caller));
			throw attendee ? MeetingChangeRefusedException.notOrganizer() : new MeetingNotFoundException(meeting.meetingId());
		}
		if (changing && Meeting.CANCELLED.equals(meeting.status())) {
			throw MeetingChangeRefusedException.cancelled();
		}
		if (ifMatch == null || ifMatch.isBlank()) {
			if (changing) {
				throw MeetingChangeRefusedException.preconditionRequired();
			}
			return meeting;
		}
		if (!matches(ifMatch, meeting.version())) {
			throw MeetingChangeRefusedException.stale(meeting.version());
		}
		return meeting;
	}

	/** Strong comparison of each listed entity tag, or {@code *} (RFC 9110, 13.1.1). */
	private static boolean matches(String ifMatch, int version) {
		String current = etag(version);
		for (String tag : ifMatch.split(",")) {
			String candidate = tag.strip();
			if (candidate.equals("*") || candidate.equals(current)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The changed meeting at the next version: attendees who stay keep their stored name, email and answer; every
	 * attendee and the organizer are looked up through the same cache-aside fan-out as a booking (new ones must
	 * exist; the profiles give the event the organizer and each attendee's time zone).
	 */
	private Mono<Change> withProfiles(Meeting before, CreateMeetingRequest request) {
		Map<String, Meeting.Attendee> known = before.attendees()
			.stream()
			.collect(Collectors.toMap(Meeting.Attendee::userId, Function.identity()));
		return this.attendees.resolve(request.attendees(), before.organizerId()).map((participants) -> {
			Map<String, Meeting.Attendee> profiles = byUserId(participants.attendees());
			// a new time sets every answer back, as the transaction does in the rows: the cached meeting too
			boolean moved = !before.startAt().isEqual(request.startAt()) || !before.endAt().isEqual(request.endAt());
			List<Meeting.Attendee> attendees = request.attendees()
				.stream()
				.map((id) -> known.containsKey(id) ? known.get(id) : profiles.get(id))
				.map((attendee) -> moved ? new Meeting.Attendee(attendee.userId(), attendee.name(), attendee.email())
						: attendee)
				.toList();
			Meeting after = new Meeting(before.meetingId(), request.title(), utc(request.startAt()),
					utc(request.endAt()), request.location(), before.organizerId(), before.status(),
					before.createdAt(), attendees, before.version() + 1);
			return new Change(before, after, participants);
		});
	}

	/**
	 * The participants' profiles for a cancellation's event; a cancellation does not wait for the user directory:
	 * when it cannot be asked, the event names the organizer by id only and no time zones.
	 */
	private Mono<Participants> participantsOf(Meeting meeting) {
		List<String> ids = meeting.attendees().stream().map(Meeting.Attendee::userId).toList();
		return this.attendees.resolve(ids, meeting.organizerId()).onErrorResume((ex) -> {
			log.debug("Profiles of meeting {} not found for its cancellation: {}", meeting.meetingId(), ex.toString());
			return Mono.just(new Participants(new AttendeeProfile(meeting.organizerId(), null, null, null), List.of()));
		});
	}

	private Mono<Saved> saveChange(Change change) {
		Meeting after = change.after();
		List<String> changed = MeetingPatch.changed(change.before(), after);
		Set<String> before = change.before().attendees().stream().map(Meeting.Attendee::userId)
			.collect(Collectors.toSet());
		Set<String> now = after.attendees().stream().map(Meeting.Attendee::userId).collect(Collectors.toSet());
		Instant at = Instant.now(this.clock);
		MeetingUpdated event = new MeetingUpdated(TimeOrderedIds.at(at), MeetingUpdated.TYPE, at, after.meetingId(),
				after.version(), after.title(), after.startAt(), after.endAt(), after.location(), after.organizerId(),
				organizer(change.participants()), after.status(), changed,
				wire(after.attendees(), change.participants()),
				wire(after.attendees().stream().filter((a) -> !before.contains(a.userId())).toList(),
						change.participants()),
				wire(change.before().attendees().stream().filter((a) -> !now.contains(a.userId())).toList(),
						change.participants()));
		boolean moved = changed.contains("startAt") || changed.contains("endAt");
		Mono<Void> writes = this.changes.update(after, change.before().version())
			.flatMap((won) -> won ? Mono.<Void>empty() : lost(after.meetingId()))
			.then(changed.contains("attendees") ? this.changes.replaceAttendees(after.meetingId(), after.attendees())
					: Mono.empty())
			.then(moved ? this.changes.resetResponses(after.meetingId()) : Mono.empty());
		return this.tx.transactional(writes.then(this.outbox.append(event))).map((entry) -> new Saved(after, entry, event));
	}

	private Mono<Saved> saveCancellation(Meeting before, Participants participants) {
		Meeting after = new Meeting(before.meetingId(), before.title(), before.startAt(), before.endAt(),
				before.location(), before.organizerId(), Meeting.CANCELLED, before.createdAt(), before.attendees(),
				before.version() + 1);
		Instant at = Instant.now(this.clock);
		MeetingCancelled event = new MeetingCancelled(TimeOrderedIds.at(at), MeetingCancelled.TYPE, at,
				after.meetingId(), after.version(), after.title(), after.startAt(), after.endAt(), after.location(),
				after.organizerId(), organizer(participants), after.status(), wire(after.attendees(), participants));
		Mono<Void> write = this.changes.cancel(before.meetingId(), before.version())
			.flatMap((won) -> won ? Mono.<Void>empty() : lost(before.meetingId()));
		return this.tx.transactional(write.then(this.outbox.append(event))).map((entry) -> new Saved(after, entry, event));
	}

	/** Another change committed first: the caller gets the state it left (412 with its version, or 409). */
	private Mono<Void> lost(UUID meetingId) {
		return current(meetingId).flatMap((meeting) -> Mono.error(Meeting.CANCELLED.equals(meeting.status())
				? MeetingChangeRefusedException.cancelled() : MeetingChangeRefusedException.stale(meeting.version())));
	}

	private Mono<Meeting> cacheAndPublish(Saved saved) {
		// the event is durable in the outbox: a slow or absent broker delays it, it does not fail the change
		Mono<Void> publish = this.relay.publish(saved.entry())
			.timeout(this.publishBound)
			.flatMap((published) -> published ? Mono.<Void>empty()
					: RequestContext.log(() -> log.warn("{} of {} not confirmed in time; the outbox relay will "
							+ "publish it", saved.event().type(), saved.meeting().meetingId())))
			.onErrorResume((ex) -> RequestContext.log(() -> log.warn("Publishing {} of {} failed, left to the "
					+ "outbox relay: {}", saved.event().type(), saved.meeting().meetingId(), ex.toString())));
		return this.cache.save(saved.meeting()).then(publish).thenReturn(saved.meeting());
	}

	private static Map<String, Meeting.Attendee> byUserId(List<AttendeeProfile> profiles) {
		return profiles.stream()
			.collect(Collectors.toMap(AttendeeProfile::userId,
					(profile) -> new Meeting.Attendee(profile.userId(), profile.name(), profile.email()),
					(first, second) -> first));
	}

	/** The attendees as the events carry them, each with the time zone of their profile (null when unknown). */
	private static List<MeetingCreated.Attendee> wire(List<Meeting.Attendee> attendees, Participants participants) {
		Map<String, String> zones = new HashMap<>();
		participants.attendees().forEach((profile) -> zones.put(profile.userId(), profile.timezone()));
		return attendees.stream()
			.map((attendee) -> new MeetingCreated.Attendee(attendee.userId(), attendee.name(), attendee.email(),
					zones.get(attendee.userId())))
			.toList();
	}

	private static MeetingCreated.Organizer organizer(Participants participants) {
		AttendeeProfile organizer = participants.organizer();
		return new MeetingCreated.Organizer(organizer.userId(), organizer.name(), organizer.email(),
				organizer.timezone());
	}

	private static OffsetDateTime utc(OffsetDateTime time) {
		return time.withOffsetSameInstant(ZoneOffset.UTC);
	}

	private record Change(Meeting before, Meeting after, Participants participants) {
	}

	private record Saved(Meeting meeting, OutboxEntry entry, ChangeEvent event) {
	}

}
