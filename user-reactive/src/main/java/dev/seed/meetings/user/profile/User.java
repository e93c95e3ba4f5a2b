package dev.seed.meetings.user.profile;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A user's profile as the API shows it.
 */
public record User(@Schema(example = "u-1001") String userId, @Schema(example = "Ann Lee") String name,
		@Schema(example = "ann.lee@example.com") String email,
		@Schema(description = "IANA time zone id", example = "Asia/Tokyo") String timezone) {
}
