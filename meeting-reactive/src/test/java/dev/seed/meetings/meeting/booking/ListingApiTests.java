package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.seed.meetings.meeting.IntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class ListingApiTests extends IntegrationTest {

	private static final ParameterizedTypeReference<Map<String, Object>> LINE = new ParameterizedTypeReference<>() {
	};

	/** Only the meetings overlapping the window come back, by start time, with attendees; the attendee filter holds. */
	@Test
	void listsTheWindowInOrder() {
		// a day of its own, so that no other test's meetings fall into the window
		OffsetDateTime day = OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(9))
			.plusDays(ThreadLocalRandom.current().nextInt(300))
			.plusMinutes(ThreadLocalRandom.current().nextInt(600));
		List<String> ids = users.newUsers(2);
		String a = ids.get(0);
		String b = ids.get(1);
		String later = book("Later", day.plusHours(3), List.of(a));
		String earlier = book("Earlier", day.plusHours(1), List.of(a, b));
		book("Before", day.minusHours(5), List.of(a, b));
		book("After", day.plusDays(1).plusHours(1), List.of(a));
		String from = day.toString();
		String to = day.plusDays(1).toString();

		this.admin.get()
			.uri("/api/meetings?from={from}&to={to}", from, to)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].meetingId").isEqualTo(earlier)
			.jsonPath("$[0].title").isEqualTo("Earlier")
			.jsonPath("$[0].location").isEqualTo("Room 3F-A")
			.jsonPath("$[0].startAt").isEqualTo(day.plusHours(1).withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
			.jsonPath("$[0].attendees.length()").isEqualTo(2)
			.jsonPath("$[0].attendees[0]").isEqualTo(a)
			.jsonPath("$[1].meetingId").isEqualTo(later);
		this.admin.get()
			.uri("/api/meetings?from={from}&to={to}&attendee={b}", from, to, b)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].meetingId").isEqualTo(earlier);
		this.admin.get()
			.uri("/api/meetings?from={from}&to={to}&attendee={a}", from, to, a)
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
			.returnResult(LINE)
			.getResponseBody()
			.as(StepVerifier::create)
			.assertNext((line) -> assertThat(line.get("meetingId")).isEqualTo(earlier))
			.assertNext((line) -> assertThat(line.get("meetingId")).isEqualTo(later))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/**
	 * A person's listing holds the meetings they organized as well as those they attend, with each attendee's answer;
	 * someone who takes no part finds neither.
	 */
	@Test
	void listsTheMeetingsTheCallerOrganizesOrAttendsOnly() {
		OffsetDateTime day = OffsetDateTime.of(2031, 1, 1, 9, 0, 0, 0, ZoneOffset.UTC)
			.plusDays(ThreadLocalRandom.current().nextInt(300))
			.plusMinutes(ThreadLocalRandom.current().nextInt(600));
		List<String> ids = users.newUsers(3);
		String organizer = ids.get(0);
		String attendee = ids.get(1);
		String stranger = ids.get(2);
		String organized = book(organizer, "Organized", day, List.of(attendee));
		// the organizer among the attendees of someone else's meeting: listed once, as any other
		String invited = book(attendee, "Invited", day.plusHours(2), List.of(organizer));
		String from = day.minusDays(1).toString();
		String to = day.plusDays(1).toString();

		as(organizer).get()
			.uri("/api/meetings?from={from}&to={to}", from, to)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].meetingId").isEqualTo(organized)
			.jsonPath("$[0].organizerId").isEqualTo(organizer)
			.jsonPath("$[0].responses['" + attendee + "']").isEqualTo("needs-action")
			.jsonPath("$[1].meetingId").isEqualTo(invited)
			.jsonPath("$[1].organizerId").isEqualTo(attendee);
		as(attendee).get()
			.uri("/api/meetings?from={from}&to={to}", from, to)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].meetingId").isEqualTo(organized)
			.jsonPath("$[0].attendees[0]").isEqualTo(attendee)
			.jsonPath("$[1].meetingId").isEqualTo(invited);
		// the attendee filter still narrows the organizer's own listing to the meetings that person attends
		as(organizer).get()
			.uri("/api/meetings?from={from}&to={to}&attendee={a}", from, to, attendee)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].meetingId").isEqualTo(organized);
		as(stranger).get()
			.uri("/api/meetings?from={from}&to={to}", from, to)
			.exchange()
			.expectStatus().isOk()
			.expectBody().json("[]");
		as(stranger).get()
			.uri("/api/meetings?from={from}&to={to}&attendee={a}", from, to, attendee)
			.exchange()
			.expectStatus().isOk()
			.expectBody().json("[]");
	}

	/** Unparsable or missing times, a reversed window and one over the bound are 400 problems naming the parameter. */
	@Test
	void badWindowsAreProblems() {
		expectProblem("/api/meetings?from={f}&to={t}", "from", "yesterday", "2030-01-02T00:00:00Z");
		expectProblem("/api/meetings?from={f}&to={t}", "from", "2030-01-01T00:00:00", "2030-01-02T00:00:00Z");
		expectProblem("/api/meetings?to={t}", "from", "2030-01-02T00:00:00Z");
		expectProblem("/api/meetings?from={f}&to={t}", "to", "2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z");
		expectProblem("/api/meetings?from={f}&to={t}", "to", "2030-01-01T00:00:00Z", "2031-02-01T00:00:00Z");
		expectProblem("/api/meetings?from={f}&to={t}&attendee=", "attendee", "2030-01-01T00:00:00Z",
				"2030-01-02T00:00:00Z");
	}

	/** The stream and a single meeting keep their own routes next to the listing. */
	@Test
	void routesDoNotClash() {
		this.http.get()
			.uri("/api/meetings/{id}", java.util.UUID.randomUUID())
			.exchange()
			.expectStatus().isNotFound();
		this.http.get()
			.uri("/api/meetings?from={f}&to={t}", "2030-01-01T00:00:00+09:00", "2030-01-01T00:01:00+09:00")
			.exchange()
			.expectStatus().isOk()
			.expectBody().json("[]");
	}

	private WebTestClient as(String userId) {
		return this.http.mutate().defaultHeader("X-User-Id", userId).build();
	}

	private void expectProblem(String uri, String field, Object... values) {
		this.http.get()
			.uri(uri, values)
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.errors[0].field").isEqualTo(field);
	}

	private String book(String title, OffsetDateTime start, List<String> attendees) {
		return book(null, title, start, attendees);
	}

	private String book(String organizer, String title, OffsetDateTime start, List<String> attendees) {
		Map<?, ?> body = ((organizer != null) ? as(organizer) : this.http).post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson(title, start.toString(), start.plusMinutes(45).toString(), attendees))
			.exchange()
			.expectStatus().isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) body.get("meetingId");
	}

}
