package dev.seed.meetings.gateway.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	/** Without a secret or a JWK set the gateway cannot verify tokens, so it refuses to start. */
	@Test
	void missingKeyFailsStartUp() {
		this.runner.run(context -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("gateway.jwt.secret"));
	}

	/** A secret shorter than 32 bytes is too weak for HS256 and refused at start-up. */
	@Test
	void shortSecretFailsStartUp() {
		this.runner.withPropertyValues("gateway.jwt.secret=only-31-bytes-long-secret-01234")
			.run(context -> assertThat(context).hasFailed());
	}

	/** A 32-byte secret, or a JWK set without a secret, is enough; the documented defaults apply. */
	@Test
	void secretOrJwkSetIsEnough() {
		this.runner.withPropertyValues("gateway.jwt.secret=exactly-32-bytes-long-secret-012")
			.run(context -> {
				GatewayProperties properties = context.getBean(GatewayProperties.class);
				assertThat(properties.meetingServiceUrl()).hasToString("http://127.0.0.1:8081");
				assertThat(properties.userServiceUrl()).hasToString("http://127.0.0.1:8082");
				assertThat(properties.notifierServiceUrl()).hasToString("http://127.0.0.1:8083");
				assertThat(properties.maxRequestBytes().toBytes()).isEqualTo(64 * 1024);
				assertThat(properties.rateLimit().replenishRate()).isEqualTo(200);
				assertThat(properties.rateLimit().burstCapacity()).isEqualTo(400);
				assertThat(properties.cors().allowedOrigins()).isEmpty();
			});
		this.runner.withPropertyValues("gateway.jwt.jwk-set-uri=https://issuer.example/.well-known/jwks.json")
			.run(context -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GatewayProperties.class)
	static class PropertiesOnly {

	}

}
