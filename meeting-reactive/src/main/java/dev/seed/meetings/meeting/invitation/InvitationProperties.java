package dev.seed.meetings.meeting.invitation;

import java.nio.charset.StandardCharsets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code meeting.invitations.*}.
 * @param secret the HMAC-SHA256 key that signs invitation links, at least 32 bytes (UTF-8); the notifier signs the
 * links it mails with the same key ({@code notifier.invitations.secret}). Required: the service does not start
 * without it
 */
@Validated
@ConfigurationProperties("meeting.invitations")
record InvitationProperties(String secret) {

	static final int MIN_SECRET_BYTES = 32;

	InvitationProperties {
		if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException(
					"meeting.invitations.secret must be set, at least " + MIN_SECRET_BYTES + " bytes");
		}
	}

}
