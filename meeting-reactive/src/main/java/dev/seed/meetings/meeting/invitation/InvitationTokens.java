package dev.seed.meetings.meeting.invitation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * The credential in an invitation link: one attendee of one meeting, signed, so that nothing needs storing and nobody
 * can make one up. {@code payload.signature}, both base64url without padding: the payload is the meeting id's 16
 * bytes (most, then least significant bits, big-endian) followed by the user id in UTF-8; the signature is
 * HMAC-SHA256 with {@code meeting.invitations.secret} over the payload's ASCII text. The notifier makes the same
 * tokens for the links it mails.
 */
@Component
class InvitationTokens {

	private static final String HMAC = "HmacSHA256";

	private static final int UUID_BYTES = 16;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	InvitationTokens(InvitationProperties properties) {
		this.key = new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), HMAC);
	}

	String issue(UUID meetingId, String userId) {
		byte[] user = userId.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(UUID_BYTES + user.length)
			.putLong(meetingId.getMostSignificantBits())
			.putLong(meetingId.getLeastSignificantBits())
			.put(user);
		String encoded = ENCODER.encodeToString(payload.array());
		return encoded + "." + sign(encoded);
	}

	/** The invitation a token stands for; empty when it is malformed or its signature is not ours. */
	Optional<Invitation> verify(String token) {
		int dot = (token != null) ? token.indexOf('.') : -1;
		if (dot <= 0 || dot != token.lastIndexOf('.')) {
			return Optional.empty();
		}
		String payload = token.substring(0, dot);
		byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
		byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, given)) {
			return Optional.empty();
		}
		byte[] bytes;
		try {
			bytes = DECODER.decode(payload);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (bytes.length <= UUID_BYTES) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		UUID meetingId = new UUID(buffer.getLong(), buffer.getLong());
		String userId = new String(Arrays.copyOfRange(bytes, UUID_BYTES, bytes.length), StandardCharsets.UTF_8);
		return Optional.of(new Invitation(meetingId, userId));
	}

	private String sign(String payload) {
		try {
			// a Mac is not thread-safe, and making one is cheaper than sharing one
			Mac mac = Mac.getInstance(HMAC);
			mac.init(this.key);
			return ENCODER.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(HMAC + " is not available", ex);
		}
	}

	/** One attendee's invitation to one meeting. */
	record Invitation(UUID meetingId, String userId) {
	}

}
