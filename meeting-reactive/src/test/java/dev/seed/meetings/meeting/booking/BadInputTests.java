package dev.seed.meetings.meeting.booking;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.meeting.IntegrationTest;
import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class BadInputTests extends IntegrationTest {

	@Autowired
	ReactiveStringRedisTemplate redis;

	private EventQueue events;

	private long meetingsBefore;

	private long meetingKeysBefore;

	@BeforeEach
	void snapshot() throws Exception {
		this.events = new EventQueue();
		this.meetingsBefore = BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings");
		this.meetingKeysBefore = meetingKeys();
	}

	/** Whatever was refused left no row, no meeting:info key and no message behind. */
	@AfterEach
	void nothingWritten() throws Exception {
		assertThat(BookingRollbackTests.count("SELECT count(*) FROM meeting.meetings")).isEqualTo(this.meetingsBefore);
		assertThat(meetingKeys()).isEqualTo(this.meetingKeysBefore);
		assertThat(this.events.drain(Duration.ofMillis(300))).isEmpty();
		this.events.close();
	}

	/** Broken JSON is a 400 problem. */
	@Test
	void malformedJson() {
		post("{\"title\": \"x\", ")
			.jsonPath("$.status").isEqualTo(400).jsonPath("$.title").isEqualTo("Unreadable request");
	}

	/** A date without an offset is a 400 problem naming the field. */
	@Test
	void dateWithoutOffset() {
		post("{\"title\":\"x\",\"startAt\":\"2027-03-01T10:00:00\",\"endAt\":\"2027-03-01T11:00:00+09:00\","
				+ "\"attendees\":[\"u-1\"]}").jsonPath("$.errors[0].field").isEqualTo("startAt");
	}

	/**
	 * Three bad fields, one of them unreadable (a time without an offset): one 400 names all three, each with what
	 * was expected.
	 */
	@Test // #21
	void everyBadFieldIsNamedAtOnceWithWhatWasExpected() {
		post("{\"title\":\" \",\"startAt\":\"2027-03-01T10:00:00\",\"endAt\":\"2027-03-01T11:00:00+09:00\","
				+ "\"attendees\":[]}")
			.jsonPath("$.errors.length()").isEqualTo(3)
			.jsonPath("$.errors[?(@.field == 'title')].expected").value((List<String> expected) -> assertThat(expected)
				.singleElement().asString().contains("1 to 200 characters"))
			.jsonPath("$.errors[?(@.field == 'startAt')].message").value((List<String> message) -> assertThat(message)
				.singleElement().asString().contains("cannot be read").contains("2027-03-01T10:00:00"))
			.jsonPath("$.errors[?(@.field == 'startAt')].expected").value((List<String> expected) -> assertThat(expected)
				.singleElement().asString().contains("an ISO-8601 date-time with an offset, e.g. 2026-12-01T10:00:00+09:00"))
			.jsonPath("$.errors[?(@.field == 'attendees')].expected").value((List<String> expected) -> assertThat(expected)
				.singleElement().asString().contains("a list of 1 to 200 different user ids"));
	}

	/** Two unreadable fields of different kinds are both named, beside the rules the rest breaks. */
	@Test // #21
	void unreadableFieldsAreNamedTogether() {
		post("{\"title\":\"x\",\"startAt\":\"tomorrow\",\"endAt\":\"2027-03-01T11:00:00+09:00\",\"attendees\":7}")
			.jsonPath("$.errors[?(@.field == 'startAt')]").exists()
			.jsonPath("$.errors[?(@.field == 'attendees')].message").value((List<String> message) -> assertThat(message)
				.singleElement().asString().contains("cannot be read"));
	}

	/** Missing fields are each named. */
	@Test
	void missingFields() {
		post("{\"location\":\"Room\",\"unknownField\":1}")
			.jsonPath("$.errors[?(@.field == 'title')]").exists()
			.jsonPath("$.errors[?(@.field == 'startAt')]").exists()
			.jsonPath("$.errors[?(@.field == 'endAt')]").exists()
			.jsonPath("$.errors[?(@.field == 'attendees')]").exists();
	}

	/** endAt equal to startAt is refused. */
	@Test
	void endNotAfterStart() {
		post(meetingJson("x", "2027-03-01T10:00:00+09:00", "2027-03-01T10:00:00+09:00", List.of("u-1")))
			.jsonPath("$.errors[0].field").isEqualTo("endAt");
	}

	/** A meeting longer than 7 days or far in the future is refused. */
	@Test
	void durationAndRange() {
		post(meetingJson("x", "2027-03-01T10:00:00+09:00", "2027-03-09T10:00:00+09:00", List.of("u-1")))
			.jsonPath("$.errors[0].field").isEqualTo("endAt");
		post(meetingJson("x", "2099-03-01T10:00:00+09:00", "2099-03-01T11:00:00+09:00", List.of("u-1")))
			.jsonPath("$.errors[0].field").isEqualTo("startAt");
	}

	/** No attendee at all is refused. */
	@Test
	void emptyAttendees() {
		post(meetingJson("x", List.of()))
			.jsonPath("$.errors[0].field").isEqualTo("attendees");
	}

	/** 201 attendees is one too many, and the error says the cap. */
	@Test
	void tooManyAttendees() {
		List<String> ids = IntStream.range(0, 201).mapToObj((i) -> "u-" + i).collect(Collectors.toList());
		post(meetingJson("x", ids))
			.jsonPath("$.errors[0].message").value((String message) -> assertThat(message).contains("200"));
	}

	/** Duplicate attendee ids are an error naming them, not silently merged. */
	@Test
	void duplicateAttendees() {
		post(meetingJson("x", List.of("u-1", "u-2", "u-1")))
			.jsonPath("$.duplicateAttendees[0]").isEqualTo("u-1");
	}

	/** Control characters in the title are refused. */
	@Test
	void controlCharacters() {
		post(meetingJson("bad\\u0007title", List.of("u-1")))
			.jsonPath("$.errors[0].field").isEqualTo("title");
	}

	/** Unknown attendees give 422 listing each of them. */
	@Test
	void unknownAttendees() {
		List<String> known = users.newUsers(1);
		post(meetingJson("x", List.of(known.get(0), "ghost-1", "ghost-2")), 422)
			.jsonPath("$.unknownAttendees.length()").isEqualTo(2)
			.jsonPath("$.unknownAttendees[0]").isEqualTo("ghost-1")
			.jsonPath("$.unknownAttendees[1]").isEqualTo("ghost-2");
	}

	private WebTestClient.BodyContentSpec post(String body) {
		return post(body, 400);
	}

	/** The problem answered with {@code status}, which has the four members of RFC 9457 a client counts on. */
	private WebTestClient.BodyContentSpec post(String body, int status) {
		return this.http.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isEqualTo(status)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isNotEmpty()
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.detail").isNotEmpty();
	}

	private long meetingKeys() {
		return this.redis.keys(TestStack.get().redisKeyPrefix() + "meeting:info:*").count().block();
	}

}
