package dev.seed.meetings.meeting.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import dev.seed.meetings.meeting.config.MeetingProperties;

/**
 * Who is calling: the user the gateway names in {@code X-User-Id}. Anyone who reaches this service's port could name
 * any user there, so with {@code meeting.gateway-token} set the header counts only next to that token in
 * {@code X-Gateway-Token}, which the gateway sends ({@code gateway.service-token}).
 */
@Component
public class Callers {

	public static final String CALLER_HEADER = "X-User-Id";

	public static final String GATEWAY_TOKEN_HEADER = "X-Gateway-Token";

	/** The scopes of the caller's token, separated by spaces, relayed by the gateway beside {@code X-User-Id}. */
	public static final String SCOPES_HEADER = "X-User-Scopes";

	private static final Logger log = LoggerFactory.getLogger(Callers.class);

	private final byte[] gatewayToken;

	Callers(MeetingProperties properties) {
		this.gatewayToken = StringUtils.hasText(properties.gatewayToken())
				? properties.gatewayToken().getBytes(StandardCharsets.UTF_8) : null;
		if (this.gatewayToken == null) {
			log.warn("meeting.gateway-token is not set: {} is taken from whoever reaches this port", CALLER_HEADER);
		}
	}

	/**
	 * The caller named in {@code X-User-Id}, or null when none is named; fails with {@link UntrustedCallerException}
	 * when one is named without the gateway's token.
	 */
	String caller(String userId, String token) {
		if (userId == null || userId.isBlank()) {
			return null;
		}
		requireGateway(token);
		return userId.strip();
	}

	/**
	 * Who reads, from {@code X-User-Id} and {@code X-User-Scopes}, trusted as {@link #caller} is: a request that names
	 * neither sees no meeting.
	 */
	public Viewer viewer(String userId, String scopes, String token) {
		boolean admin = Viewer.hasAdminScope(scopes);
		if (admin) {
			requireGateway(token);
		}
		return new Viewer(caller(userId, token), admin);
	}

	private void requireGateway(String token) {
		if (this.gatewayToken != null && (token == null
				|| !MessageDigest.isEqual(this.gatewayToken, token.getBytes(StandardCharsets.UTF_8)))) {
			throw new UntrustedCallerException();
		}
	}

}
