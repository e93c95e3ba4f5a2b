package dev.seed.meetings.meeting.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timeouts nest: the booking's own bound, plus a margin for its answer, is shorter than the gateway's response
 * timeout, so that a booking answers 201 or 503 for itself before the gateway gives up on it (fault drill item 5:
 * both were 10 s, and bookings committed after their clients got 504).
 */
class TimeoutNestingTests {

	private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

	private static final Path GATEWAY_SETTINGS = Path.of("../gateway/src/main/resources/application.yml");

	@Test
	void theBookingBoundPlusAMarginIsShorterThanTheGatewayResponseTimeout() {
		Duration booking = duration(yaml(new ClassPathResource("application.yml")), "meeting.booking.timeout");
		assertThat(Files.exists(GATEWAY_SETTINGS)).as("the gateway's settings beside this module").isTrue();
		Duration gateway = duration(yaml(new FileSystemResource(GATEWAY_SETTINGS)),
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout");

		assertThat(booking.plus(ANSWER_MARGIN)).isLessThan(gateway);
		assertThat(booking).isEqualTo(Duration.ofSeconds(8));
	}

	private static Properties yaml(org.springframework.core.io.Resource resource) {
		YamlPropertiesFactoryBean factory = new YamlPropertiesFactoryBean();
		factory.setResources(resource);
		return factory.getObject();
	}

	private static Duration duration(Properties properties, String key) {
		String value = properties.getProperty(key);
		assertThat(value).as(key).isNotNull();
		return DurationStyle.detectAndParse(value);
	}

}
