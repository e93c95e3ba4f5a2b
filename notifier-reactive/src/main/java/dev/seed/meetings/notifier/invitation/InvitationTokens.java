package dev.seed.meetings.notifier.invitation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential in an invitation link: it names one attendee of one meeting and is signed, so that nobody can make
 * one for someone else. {@code payload = base64url(16 bytes of the meeting id, most significant first ++ UTF-8
 * user id)}, {@code token = payload "." base64url(HMAC-SHA256(secret, ASCII payload))}, both without padding. The
 * service that opens the link checks it with the same secret; nothing is stored.
 */
final class InvitationTokens {

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final SecretKeySpec key;

	InvitationTokens(String secret) {
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	String issue(UUID meetingId, String userId) {
		byte[] user = userId.getBytes(StandardCharsets.UTF_8);
		byte[] claims = ByteBuffer.allocate(16 + user.length)
			.putLong(meetingId.getMostSignificantBits())
			.putLong(meetingId.getLeastSignificantBits())
			.put(user)
			.array();
		String payload = BASE64URL.encodeToString(claims);
		return payload + "." + BASE64URL.encodeToString(sign(payload.getBytes(StandardCharsets.US_ASCII)));
	}

	private byte[] sign(byte[] payload) {
		try {
			// a Mac is not thread-safe: one per token (sends run on several threads)
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac.doFinal(payload);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
