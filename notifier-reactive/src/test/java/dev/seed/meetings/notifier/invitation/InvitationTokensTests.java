package dev.seed.meetings.notifier.invitation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvitationTokensTests {

	static final String SECRET = "test-invitation-secret-0123456789abcdef";

	private static final UUID MEETING_ID = UUID.fromString("5b0f7c1e-9c4e-4a55-9d6b-2f1f4c3e8a10");

	private final InvitationTokens tokens = new InvitationTokens(SECRET);

	/**
	 * The vector the service opening the links must agree with; computed apart from this code (Python's hmac and
	 * base64 modules) and again below with javax.crypto directly.
	 */
	@Test // #16
	void tokenMatchesTheSharedKnownVector() throws Exception {
		String token = this.tokens.issue(MEETING_ID, "u-1003");

		assertThat(token).isEqualTo("Ww98HpxOSlWday8fTD6KEHUtMTAwMw.6LDYXLQtAFh9xYSbbhkh5KR_n29JMXCLh7Sx0oNVwnU");
		assertThat(this.tokens.issue(MEETING_ID, "ü-1"))
			.isEqualTo("Ww98HpxOSlWday8fTD6KEMO8LTE.8tCNEHxXcd9ZEFeCWw6E_JxM9N-Eo69g2pUnIOqQUFw");
		assertThat(token).isEqualTo(independently(SECRET, MEETING_ID, "u-1003"));
	}

	/** The payload names the meeting and the attendee; the signature is the HMAC of the payload's text. */
	@Test // #16
	void tokenCarriesMeetingAndAttendeeAndVerifiesOnlyWithTheSecret() throws Exception {
		String token = this.tokens.issue(MEETING_ID, "u-1002");

		assertThat(verifies(token, SECRET)).isTrue();
		assertThat(verifies(token, "another-secret-of-at-least-32-bytes!!")).isFalse();
		ByteBuffer claims = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
		assertThat(new UUID(claims.getLong(), claims.getLong())).isEqualTo(MEETING_ID);
		byte[] user = new byte[claims.remaining()];
		claims.get(user);
		assertThat(new String(user, StandardCharsets.UTF_8)).isEqualTo("u-1002");
		assertThat(token).doesNotContain("=", "+", "/");
		assertThat(this.tokens.issue(MEETING_ID, "u-1003")).isNotEqualTo(token);
		assertThat(this.tokens.issue(UUID.randomUUID(), "u-1002")).isNotEqualTo(token);
	}

	/** Whether {@code token}'s signature is the HMAC-SHA256 of its payload under {@code secret}. */
	static boolean verifies(String token, String secret) throws Exception {
		int dot = token.indexOf('.');
		if (dot < 0) {
			return false;
		}
		byte[] expected = hmac(secret, token.substring(0, dot));
		return java.security.MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(token.substring(dot + 1)));
	}

	private static String independently(String secret, UUID meetingId, String userId) throws Exception {
		byte[] user = userId.getBytes(StandardCharsets.UTF_8);
		byte[] claims = new byte[16 + user.length];
		ByteBuffer.wrap(claims).putLong(meetingId.getMostSignificantBits())
			.putLong(meetingId.getLeastSignificantBits())
			.put(user);
		String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims);
		return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(secret, payload));
	}

	private static byte[] hmac(String secret, String payload) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
	}

}
