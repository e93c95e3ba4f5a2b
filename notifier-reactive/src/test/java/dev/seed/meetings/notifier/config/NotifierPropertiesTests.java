package dev.seed.meetings.notifier.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class NotifierPropertiesTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	/** Without the key that signs the invitation links the notifier does not start. */
	@Test // #16
	void refusesToStartWithoutTheInvitationSecret() {
		this.context.run((started) -> assertThat(started).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("invitations.secret"));
	}

	/** Nor with one shorter than 32 bytes. */
	@Test // #16
	void refusesAShortInvitationSecret() {
		this.context.withPropertyValues("notifier.invitations.secret=too-short")
			.run((started) -> assertThat(started).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("at least 32 bytes"));
	}

	@Test // #16
	void startsWithALongEnoughSecret() {
		this.context.withPropertyValues("notifier.invitations.secret=" + "k".repeat(32))
			.run((started) -> assertThat(started).hasNotFailed()
				.getBean(NotifierProperties.class)
				.extracting((properties) -> properties.invitations().secret())
				.isEqualTo("k".repeat(32)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(NotifierProperties.class)
	static class Properties {

	}

}
