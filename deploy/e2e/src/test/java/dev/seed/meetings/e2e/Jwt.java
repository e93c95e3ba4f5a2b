package dev.seed.meetings.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs the HS256 tokens that the gateway accepts, as an issuer sharing its secret would. */
final class Jwt {

	private static final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

	private Jwt() {
	}

	static String hs256(String secret, String subject) {
		long now = Instant.now().getEpochSecond();
		String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
		String claims = encode("{\"sub\":\"" + subject + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
		String signingInput = header + "." + claims;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return signingInput + "." + base64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String json) {
		return base64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
