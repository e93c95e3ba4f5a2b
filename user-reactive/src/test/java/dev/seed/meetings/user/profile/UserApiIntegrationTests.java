package dev.seed.meetings.user.profile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.seed.meetings.testsupport.TestStack;
import dev.seed.meetings.user.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.Arguments;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class UserApiIntegrationTests extends IntegrationTest {

	/** A created user is stored in users.users and read back with the contract's four fields. */
	@Test
	void createThenGet() throws Exception {
		String id = newId();
		Map<String, String> body = user(id, "Ann Lee", id + "@Example.com", "Asia/Tokyo");

		this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().location("/api/users/" + id)
			.expectBody()
			.jsonPath("$.userId").isEqualTo(id)
			.jsonPath("$.email").isEqualTo(id + "@Example.com");

		this.http.get().uri("/api/users/{id}", id)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.json("""
					{"userId":"%s","name":"Ann Lee","email":"%s@Example.com","timezone":"Asia/Tokyo"}
					""".formatted(id, id), true);

		try (Connection jdbc = TestStack.get().openJdbc();
				PreparedStatement query = jdbc.prepareStatement("SELECT name FROM users.users WHERE user_id = ?")) {
			query.setString(1, id);
			try (ResultSet rows = query.executeQuery()) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getString(1)).isEqualTo("Ann Lee");
			}
		}
	}

	/** An unknown id gives 404 as problem+json naming the id. */
	@Test
	void unknownUserIsNotFound() {
		this.http.get().uri("/api/users/{id}", "nobody-" + newId())
			.exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.title").isEqualTo("User not found");
	}

	static Stream<Arguments> badBodies() {
		String ok = "u-ok";
		return Stream.of(
				Arguments.of(user("", "Ann", "a@example.com", "UTC"), "userId"),
				Arguments.of(user("x".repeat(65), "Ann", "a@example.com", "UTC"), "userId"),
				Arguments.of(user("a b", "Ann", "a@example.com", "UTC"), "userId"),
				Arguments.of(user(ok, "", "a@example.com", "UTC"), "name"),
				Arguments.of(user(ok, "n".repeat(201), "a@example.com", "UTC"), "name"),
				Arguments.of(user(ok, "Ann\u0000Lee", "a@example.com", "UTC"), "name"),
				Arguments.of(user(ok, "Ann", "not-an-email", "UTC"), "email"),
				Arguments.of(user(ok, "Ann", "a".repeat(250) + "@example.com", "UTC"), "email"),
				Arguments.of(user(ok, "Ann", "a@example.com", "Mars/Olympus"), "timezone"),
				Arguments.of(user(ok, "Ann", "a@example.com", "+09:00"), "timezone"),
				Arguments.of(Map.of("name", "Ann"), "email"));
	}

	/** Each invalid field gives 400 problem+json naming that field, and nothing is stored. */
	@ParameterizedTest
	@MethodSource("badBodies")
	void invalidBodyIsRejectedNamingTheField(Map<String, String> body, String field) throws Exception {
		this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[?(@.field == '%s')]".formatted(field)).exists()
			.jsonPath("$.errors[?(@.field == '%s')].expected".formatted(field)).isNotEmpty()
			.jsonPath("$.type").isNotEmpty()
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isNotEmpty();

		try (Connection jdbc = TestStack.get().openJdbc();
				PreparedStatement query = jdbc.prepareStatement("SELECT count(*) FROM users.users WHERE user_id = ?")) {
			query.setString(1, "u-ok");
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				assertThat(rows.getInt(1)).isZero();
			}
		}
	}

	/** Three bad fields are named in one answer, each with what was expected. */
	@Test // #21
	void threeBadFieldsAreNamedAtOnce() {
		this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(user("a b", "Ann", "not-an-email", "Mars/Olympus"))
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.errors[*].field").value((List<String> fields) -> assertThat(fields)
				.containsExactlyInAnyOrder("email", "timezone", "userId"))
			.jsonPath("$.errors[?(@.field == 'timezone')].expected").isEqualTo(List.of("an IANA time zone id, e.g. \"Asia/Tokyo\""))
			.jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("email", "timezone", "userId"));
	}

	/** Bodies that are not a user object at all (broken JSON, wrong types, nothing) are a 400 problem, never a 500. */
	@ParameterizedTest
	@ValueSource(strings = { "{\"userId\": ", "[]", "\"u-1\"", "42", "null", "",
			"{\"userId\":{},\"name\":\"Ann\",\"email\":\"a@example.com\",\"timezone\":\"UTC\"}",
			"{\"userId\":[\"u-1\"],\"name\":\"Ann\",\"email\":\"a@example.com\",\"timezone\":\"UTC\"}" })
	void malformedBodyIsBadRequest(String body) {
		this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.trace").doesNotExist();
	}

	/** Unknown fields are ignored, so that clients may send more than this version knows. */
	@Test
	void unknownFieldsAreIgnored() {
		String id = newId();
		this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"userId\":\"%s\",\"name\":\"Ann\",\"email\":\"%s@example.com\",\"timezone\":\"UTC\",\"role\":\"admin\"}"
				.formatted(id, id))
			.exchange()
			.expectStatus().isCreated()
			.expectBody().jsonPath("$.role").doesNotExist();
	}

	/** A second user with an existing id is refused with 409 naming userId. */
	@Test
	void duplicateIdConflicts() {
		String id = newId();
		create(user(id, "Ann", id + "@example.com", "UTC")).expectStatus().isCreated();

		create(user(id, "Other", id + "-other@example.com", "UTC"))
			.expectStatus().isEqualTo(409)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.field").isEqualTo("userId");
	}

	/** An address already taken in another letter case is refused with 409 naming email. */
	@Test
	void duplicateEmailIgnoringCaseConflicts() {
		String id = newId();
		create(user(id, "Ann", id + "@example.com", "UTC")).expectStatus().isCreated();

		create(user(id + "-2", "Ann Again", id.toUpperCase() + "@EXAMPLE.COM", "Europe/Paris"))
			.expectStatus().isEqualTo(409)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.field").isEqualTo("email");

		this.http.get().uri("/api/users/{id}", id + "-2").exchange().expectStatus().isNotFound();
	}

	/** The directory is searched by a part of the id or of the name in any case; LIKE's wildcards match themselves. */
	@Test // #19
	void searchByIdOrName() {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String ann = "s-" + tag + "-ann";
		String bob = "s-" + tag + "-bob";
		create(user(ann, "Ann Zephyr" + tag, ann + "@example.com", "UTC")).expectStatus().isCreated();
		create(user(bob, "Bob 100% Sure" + tag, bob + "@example.com", "UTC")).expectStatus().isCreated();

		this.http.get().uri("/api/users?query={q}", "ZEPHYR" + tag.toUpperCase())
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].userId").isEqualTo(ann)
			.jsonPath("$[0].name").isEqualTo("Ann Zephyr" + tag);

		this.http.get().uri("/api/users?query={q}", "s-" + tag)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$[*].userId").isEqualTo(List.of(ann, bob));

		this.http.get().uri("/api/users?query={q}&limit=1", "s-" + tag)
			.exchange()
			.expectBody()
			.jsonPath("$[*].userId").isEqualTo(List.of(ann));

		this.http.get().uri("/api/users?query={q}", "100% Sure" + tag)
			.exchange()
			.expectBody()
			.jsonPath("$[*].userId").isEqualTo(List.of(bob));
		this.http.get().uri("/api/users?query={q}", "s_" + tag)
			.exchange()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(0);
	}

	/** A query longer than 100 characters or a limit outside 1..50 is a 400 problem. */
	@ParameterizedTest // #19
	@ValueSource(strings = { "limit=0", "limit=51", "limit=x" })
	void searchOutOfBoundsIsBadRequest(String parameter) {
		this.http.get().uri("/api/users?query=a&" + parameter)
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.get().uri("/api/users?query={q}", "q".repeat(101))
			.exchange()
			.expectStatus().isBadRequest();
	}

	private WebTestClient.ResponseSpec create(Map<String, String> body) {
		return this.http.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private static Map<String, String> user(String userId, String name, String email, String timezone) {
		return Map.of("userId", userId, "name", name, "email", email, "timezone", timezone);
	}

	private static String newId() {
		return "u-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
