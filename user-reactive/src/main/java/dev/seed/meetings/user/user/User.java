package dev.seed.meetings.user.user;

/**
 * A user's profile as the API shows it.
 */
public record User(String userId, String name, String email, String timezone) {
}
