package dev.seed.meetings.gateway.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import dev.seed.meetings.gateway.config.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Mints tokens signed with the shared secret so that a person can try the system on their own
 * machine. Exists only in the {@code local} profile: anywhere else, tokens come from an issuer.
 */
@RestController
@Profile("local")
class LocalTokenController {

	static final String PATH = "/local/token";

	private static final Logger log = LoggerFactory.getLogger(LocalTokenController.class);

	private static final Duration TOKEN_LIFETIME = Duration.ofHours(8);

	private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final JwtEncoder encoder;

	LocalTokenController(GatewayProperties properties) {
		if (!properties.jwt().hasSecret()) {
			throw new IllegalStateException("The local profile mints tokens with gateway.jwt.secret, which is not set");
		}
		this.encoder = NimbusJwtEncoder.withSecretKey(SecurityConfiguration.secretKey(properties.jwt())).build();
	}

	@PostMapping(PATH)
	Map<String, Object> token(@RequestParam String sub) {
		if (!USER_ID.matcher(sub).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "sub must be a user id: [A-Za-z0-9._-]{1,64}");
		}
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer("meetings-local")
			.subject(sub)
			.issuedAt(now)
			.expiresAt(now.plus(TOKEN_LIFETIME))
			.build();
		String token = this.encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
		return Map.of("token", token, "expiresAt", now.plus(TOKEN_LIFETIME).toString());
	}

	@EventListener
	void announce(ApplicationReadyEvent ready) {
		int port = (ready.getApplicationContext() instanceof WebServerApplicationContext web)
				? web.getWebServer().getPort() : 8080;
		log.info("Local profile: get a token with  curl -s -X POST 'http://localhost:{}{}?sub=u-1001'", port, PATH);
	}

}
