package dev.seed.meetings.user.profile;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/users}.
 */
record NewUser(
		@Schema(example = "u-1001") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}",
				message = "must be 1 to 64 characters of letters, digits, '.', '_' or '-'") String userId,
		@Schema(example = "Ann Lee") @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cc}]*",
				message = "must not contain control characters") String name,
		@Schema(example = "ann.lee@example.com") @NotBlank @Size(max = 254) @Email String email,
		@Schema(description = "IANA time zone id", example = "Asia/Tokyo") @NotNull @IanaTimeZone String timezone) {

	User toUser() {
		return new User(this.userId, this.name, this.email, this.timezone);
	}

}
