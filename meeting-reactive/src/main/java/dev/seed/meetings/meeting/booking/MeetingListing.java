package dev.seed.meetings.meeting.booking;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.booking.Viewer;

/**
 * Meetings of a time window straight from {@code meeting.meetings}, row by row: one query (attendee ids and answers
 * aggregated in it, no query per meeting) fetched {@code meeting.listing.fetch-size} rows at a time as the subscriber
 * asks for more, so that a slow reader holds a cursor open, never the whole result in memory. A meeting lasts at most
 * 7 days, which bounds the index range of {@code start_at} that a window needs.
 * <p>
 * A participant's listing starts from their own meetings, not from the window: the ids of those they attend
 * ({@code meeting_attendees_user_id}) and of those they organize in the window ({@code meetings_organizer_start_at}),
 * so that its cost follows how many meetings they take part in, not how many everybody has in the window (200 000
 * meetings over 400 days, a person's 154 of them in an 11-month window: 65 ms cold, against 1.2 s for filtering the
 * window's 165 000 rows).
 */
@Component
class MeetingListing {

	private static final String SELECT = """
			SELECT m.id, m.title, m.start_at, m.end_at, m.location, m.organizer_id, m.status, m.version,
			       array(SELECT a.user_id FROM meeting.meeting_attendees a
			             WHERE a.meeting_id = m.id ORDER BY a.position) AS attendees,
			       array(SELECT a.response FROM meeting.meeting_attendees a
			             WHERE a.meeting_id = m.id ORDER BY a.position) AS responses
			FROM meeting.meetings m
			WHERE m.start_at < :to AND m.end_at > :from
			  AND m.start_at > CAST(:from AS timestamptz) - interval '7 days'
			""";

	private static final String BY_ATTENDEE = """
			  AND EXISTS (SELECT 1 FROM meeting.meeting_attendees f WHERE f.meeting_id = m.id AND f.user_id = :attendee)
			""";

	private static final String VISIBLE_TO = """
			  AND m.id IN (SELECT v.meeting_id FROM meeting.meeting_attendees v WHERE v.user_id = :viewer
			               UNION ALL
			               SELECT o.id FROM meeting.meetings o
			               WHERE o.organizer_id = :viewer AND o.start_at < :to
			                 AND o.start_at > CAST(:from AS timestamptz) - interval '7 days')
			""";

	private static final String ORDER = "ORDER BY m.start_at, m.id";

	private final DatabaseClient db;

	private final ListingProperties properties;

	// a store's database and settings: the same shape as user-reactive's UserRepository, another service
	MeetingListing(DatabaseClient db, ListingProperties properties) {
		this.db = db;
		this.properties = properties;
	}

	/**
	 * Meetings overlapping [{@code from}, {@code to}), by start time, that {@code viewer} may see (all of them for an
	 * operator, else those they organize or attend); only those of {@code attendee} unless null.
	 */
	Flux<ListedMeeting> list(OffsetDateTime from, OffsetDateTime to, String attendee, Viewer viewer) {
		if (!viewer.admin() && viewer.userId() == null) {
			return Flux.empty();
		}
		DatabaseClient.GenericExecuteSpec query = this.db
			.sql(SELECT + ((attendee != null) ? BY_ATTENDEE : "") + (viewer.admin() ? "" : VISIBLE_TO) + ORDER)
			.bind("from", from)
			.bind("to", to);
		if (attendee != null) {
			query = query.bind("attendee", attendee);
		}
		if (!viewer.admin()) {
			query = query.bind("viewer", viewer.userId());
		}
		int fetchSize = this.properties.fetchSize();
		return query.filter((statement, next) -> next.execute(statement.fetchSize(fetchSize)))
			.map(MeetingListing::toMeeting)
			.all()
			.timeout(this.properties.rowTimeout());
	}

	private static ListedMeeting toMeeting(Readable row) {
		String[] attendees = Objects.requireNonNullElse(row.get("attendees", String[].class), new String[0]);
		String[] responses = Objects.requireNonNullElse(row.get("responses", String[].class), new String[0]);
		Map<String, String> answers = new LinkedHashMap<>();
		for (int i = 0; i < attendees.length && i < responses.length; i++) {
			answers.put(attendees[i], responses[i]);
		}
		return new ListedMeeting(row.get("id", UUID.class), row.get("title", String.class), utc(row, "start_at"),
				utc(row, "end_at"), row.get("location", String.class), row.get("organizer_id", String.class),
				List.of(attendees), answers, row.get("status", String.class), row.get("version", Integer.class));
	}

	private static OffsetDateTime utc(Readable row, String column) {
		return row.get(column, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
	}

}
