package dev.seed.meetings.meeting.invitation;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;

import dev.seed.meetings.meeting.attendee.AttendeeProfile;
import dev.seed.meetings.meeting.attendee.AttendeeResolver;
import dev.seed.meetings.meeting.booking.Meeting;
import dev.seed.meetings.meeting.booking.MeetingBooking;
import dev.seed.meetings.meeting.booking.MeetingNotFoundException;
import dev.seed.meetings.meeting.booking.Response;
import dev.seed.meetings.meeting.cache.CacheKeys;
import dev.seed.meetings.meeting.cache.JsonCache;
import dev.seed.meetings.meeting.config.MeetingProperties;
import dev.seed.meetings.support.context.RequestContext;
import dev.seed.meetings.meeting.ids.TimeOrderedIds;
import dev.seed.meetings.meeting.transaction.Transactions;
import dev.seed.meetings.meeting.events.InvitationAnswered;
import dev.seed.meetings.meeting.events.Outbox;
import dev.seed.meetings.meeting.events.OutboxEntry;
import dev.seed.meetings.meeting.events.OutboxRelay;

/**
 * The invited person's use cases, with the link's token as their only credential: read the invitation, answer it.
 * An answer is recorded with its {@code InvitationAnswered} event in one transaction, then the meeting's cache entry
 * is dropped and the event published (the outbox relay publishes it should the broker not confirm in time).
 */
@Service
class Invitations {

	private static final Logger log = LoggerFactory.getLogger(Invitations.class);

	// only while the meeting is not cancelled, checked in the same statement as the answer is written; an answer does
	// not change the meeting's version (its ETag): the organizer's If-Match is about what they can change
	private static final String RECORD_ANSWER = "UPDATE meeting.meeting_attendees a SET response = :response "
			+ "FROM meeting.meetings m WHERE a.meeting_id = :meetingId AND a.user_id = :userId "
			+ "AND m.id = a.meeting_id AND m.status <> 'cancelled'";

	private final InvitationTokens tokens;

	private final MeetingBooking meetings;

	private final AttendeeResolver profiles;

	private final DatabaseClient db;

	private final Outbox outbox;

	private final OutboxRelay relay;

	private final JsonCache cache;

	private final CacheKeys keys;

	private final Transactions tx;

	private final Clock clock;

	private final Duration publishBound;

	// the same shape as MeetingBooking's and MeetingChanges' constructors: each use case takes its own collaborators
	Invitations(InvitationTokens tokens, MeetingBooking meetings, AttendeeResolver profiles, DatabaseClient db,
			Outbox outbox, OutboxRelay relay, JsonCache cache, CacheKeys keys,
			ReactiveTransactionManager transactionManager, Clock clock, MeetingProperties properties) {
		this.tokens = tokens;
		this.meetings = meetings;
		this.profiles = profiles;
		this.db = db;
		this.outbox = outbox;
		this.relay = relay;
		this.cache = cache;
		this.keys = keys;
		this.tx = Transactions.create(transactionManager);
		this.clock = clock;
		this.publishBound = properties.events().confirmTimeout().plusSeconds(1);
	}

	/** The invitation the token stands for; {@link InvitationNotFoundException} for any token that stands for none. */
	Mono<InvitationView> find(String token) {
		return invitation(token).flatMap(this::view);
	}

	/** Records the answer (a later one replaces it), emits {@code InvitationAnswered}, gives the invitation back. */
	Mono<InvitationView> answer(String token, String response) {
		if (response == null || !Response.ANSWERS.contains(response)) {
			return Mono.error(new InvalidResponseException());
		}
		return invitation(token)
			.flatMap((invitation) -> record(invitation, response)
				.flatMap((entry) -> forgetCachedMeeting(invitation).then(publish(entry)))
				.then(Mono.defer(() -> view(invitation))));
	}

	private Mono<InvitationTokens.Invitation> invitation(String token) {
		return Mono.justOrEmpty(this.tokens.verify(token))
			.switchIfEmpty(Mono.error(InvitationNotFoundException::new));
	}

	private Mono<OutboxEntry> record(InvitationTokens.Invitation invitation, String response) {
		Instant now = this.clock.instant();
		InvitationAnswered event = new InvitationAnswered(TimeOrderedIds.at(now), InvitationAnswered.TYPE, now,
				invitation.meetingId(), invitation.userId(), response);
		Mono<Long> update = this.db.sql(RECORD_ANSWER)
			.bind("response", response)
			.bind("meetingId", invitation.meetingId())
			.bind("userId", invitation.userId())
			.fetch()
			.rowsUpdated();
		return this.tx.transactional(update
			.flatMap((rows) -> (rows == 0)
					? notRecordedReason(invitation).flatMap((ex) -> Mono.<OutboxEntry>error(ex))
					: this.outbox.append(event)));
	}

	/** Why no answer was written: the meeting was cancelled (409), or it or the attendee is gone (404). */
	private Mono<Throwable> notRecordedReason(InvitationTokens.Invitation invitation) {
		return this.db.sql("SELECT status FROM meeting.meetings m JOIN meeting.meeting_attendees a "
				+ "ON a.meeting_id = m.id WHERE m.id = :meetingId AND a.user_id = :userId")
			.bind("meetingId", invitation.meetingId())
			.bind("userId", invitation.userId())
			.map((row, metadata) -> row.get("status", String.class))
			.one()
			.<Throwable>map((status) -> Meeting.CANCELLED.equals(status) ? new InvitationCancelledException()
					: new InvitationNotFoundException())
			.defaultIfEmpty(new InvitationNotFoundException());
	}

	private Mono<Void> forgetCachedMeeting(InvitationTokens.Invitation invitation) {
		return this.cache.delete(this.keys.meetingInfo(invitation.meetingId()));
	}

	private Mono<Void> publish(OutboxEntry entry) {
		// durable in the outbox already: a slow or absent broker delays the event, it does not fail the answer
		return this.relay.publish(entry)
			.timeout(this.publishBound)
			.onErrorResume((ex) -> RequestContext
				.log(() -> log.warn("Publishing InvitationAnswered failed, left to the outbox relay: {}", ex.toString()))
				.thenReturn(false))
			.then();
	}

	private Mono<InvitationView> view(InvitationTokens.Invitation invitation) {
		return this.meetings.find(invitation.meetingId())
			.onErrorMap(MeetingNotFoundException.class, (ex) -> new InvitationNotFoundException())
			.flatMap((meeting) -> {
				Meeting.Attendee invitee = meeting.attendees()
					.stream()
					.filter((attendee) -> attendee.userId().equals(invitation.userId()))
					.findFirst()
					.orElse(null);
				if (invitee == null) {
					return Mono.error(new InvitationNotFoundException());
				}
				return participants(meeting, invitee).map((found) -> view(meeting, invitee, found));
			});
	}

	/**
	 * The invitee's and the organizer's profiles, for their time zones and the organizer's name; without the user
	 * directory, the page still shows, in UTC, with the names the meeting recorded.
	 */
	private Mono<AttendeeResolver.Participants> participants(Meeting meeting, Meeting.Attendee invitee) {
		return this.profiles.resolve(List.of(invitee.userId()), meeting.organizerId())
			.onErrorResume((ex) -> RequestContext
				.log(() -> log.info("Invitation of {} shown without profiles: {}", meeting.meetingId(), ex.toString()))
				.thenReturn(new AttendeeResolver.Participants(
						new AttendeeProfile(meeting.organizerId(), null, null, null),
						List.of(new AttendeeProfile(invitee.userId(), invitee.name(), invitee.email(), null)))));
	}

	private static InvitationView view(Meeting meeting, Meeting.Attendee invitee,
			AttendeeResolver.Participants participants) {
		AttendeeProfile organizer = participants.organizer();
		ZoneId zone = zone(participants.attendees().get(0).timezone(), organizer.timezone());
		List<InvitationView.OtherAttendee> others = meeting.attendees()
			.stream()
			.filter((attendee) -> attendee != invitee)
			.map((attendee) -> new InvitationView.OtherAttendee(attendee.name(), attendee.response()))
			.toList();
		return new InvitationView(meeting.meetingId(), meeting.title(),
				meeting.startAt().atZoneSameInstant(zone).toOffsetDateTime(),
				meeting.endAt().atZoneSameInstant(zone).toOffsetDateTime(), meeting.location(), zone.getId(),
				meeting.status(), new InvitationView.Organizer(organizer.name(), organizer.email()),
				new InvitationView.Invitee(invitee.userId(), invitee.name(), invitee.response()), others);
	}

	/** The first of the zones that is a valid zone id, else UTC. */
	private static ZoneId zone(String... candidates) {
		for (String candidate : candidates) {
			if (candidate != null && !candidate.isBlank()) {
				try {
					return ZoneId.of(candidate.strip());
				}
				catch (DateTimeException ex) {
					// a profile's zone that Java does not know: try the next
				}
			}
		}
		return ZoneOffset.UTC;
	}

}
