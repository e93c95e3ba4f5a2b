package dev.seed.meetings.meeting.invitation;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a key to check invitation links with, the service does not start. */
class InvitationPropertiesTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(WithInvitationProperties.class);

	@Test // #16
	void missingSecretFailsStartUp() {
		this.context.run((started) -> assertThat(started).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("meeting.invitations.secret"));
	}

	@Test // #16
	void shortSecretFailsStartUp() {
		this.context.withPropertyValues("meeting.invitations.secret=too-short")
			.run((started) -> assertThat(started).hasFailed());
	}

	@Test // #16
	void longEnoughSecretStarts() {
		this.context.withPropertyValues("meeting.invitations.secret=" + "k".repeat(32))
			.run((started) -> assertThat(started).hasNotFailed().hasSingleBean(InvitationProperties.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(InvitationProperties.class)
	static class WithInvitationProperties {

	}

}
