package dev.seed.meetings.user.profile;

import dev.seed.meetings.user.config.UserProperties;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

	private static final String EMAIL_INDEX = "users_email_lower_key";

	private final DatabaseClient db;

	private final UserProperties properties;

	// a store's database and settings: the same shape as meeting-reactive's MeetingListing, another service
	UserRepository(DatabaseClient db, UserProperties properties) {
		this.db = db;
		this.properties = properties;
	}

	Mono<User> findById(String userId) {
		return this.db.sql("SELECT user_id, name, email, timezone FROM users.users WHERE user_id = :userId")
			.bind("userId", userId)
			.map(UserRepository::toUser)
			.one()
			.timeout(this.properties.databaseTimeout());
	}

	/** Users whose id or name contains {@code text} in any case, by id; LIKE's wildcards in the text match themselves. */
	Flux<User> search(String text, int limit) {
		return this.db
			.sql("SELECT user_id, name, email, timezone FROM users.users"
					+ " WHERE user_id ILIKE :pattern ESCAPE '\\' OR name ILIKE :pattern ESCAPE '\\'"
					+ " ORDER BY user_id LIMIT :limit")
			.bind("pattern", "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
			.bind("limit", limit)
			.map(UserRepository::toUser)
			.all()
			.timeout(this.properties.databaseTimeout());
	}

	/**
	 * Inserts the user; the unique constraints decide about duplicates, so that two concurrent
	 * requests for the same id or address cannot both succeed.
	 */
	Mono<User> insert(User user) {
		return this.db
			.sql("INSERT INTO users.users (user_id, name, email, timezone) VALUES (:userId, :name, :email, :timezone)")
			.bind("userId", user.userId())
			.bind("name", user.name())
			.bind("email", user.email())
			.bind("timezone", user.timezone())
			.then()
			.timeout(this.properties.databaseTimeout())
			.onErrorMap(DuplicateKeyException.class, ex -> new DuplicateUserException(duplicatedField(ex), ex))
			.thenReturn(user);
	}

	private static String duplicatedField(DuplicateKeyException ex) {
		String message = String.valueOf(ex.getMostSpecificCause().getMessage());
		return message.contains(EMAIL_INDEX) ? "email" : "userId";
	}

	private static User toUser(Readable row) {
		return new User(row.get("user_id", String.class), row.get("name", String.class),
				row.get("email", String.class), row.get("timezone", String.class));
	}

}
