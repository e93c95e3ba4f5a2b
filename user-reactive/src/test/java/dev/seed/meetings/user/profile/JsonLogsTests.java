package dev.seed.meetings.user.profile;


import dev.seed.meetings.testsupport.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON logs are one property away, and they carry the same trace id and request id as the text logs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "logging.structured.format.console=ecs")
@AutoConfigureWebTestClient(timeout = "PT30S")
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTests {

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		// a database that does not answer makes the service log a warning while serving the request
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + TestStack.freePort() + "/test");
	}

	@Autowired
	private WebTestClient http;

	/** With logging.structured.format.console=ecs each line is a JSON object with traceId and requestId fields. */
	@Test
	void ecsLinesCarryTraceIdAndRequestId(CapturedOutput output) {
		String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
		this.http.get().uri("/api/users/u-1")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.header("X-Request-Id", "req-json-1")
			.exchange()
			.expectStatus().isEqualTo(503);

		JsonMapper json = JsonMapper.builder().build();
		assertThat(output.getOut().lines().filter((line) -> line.contains("Database unavailable")))
			.singleElement()
			.satisfies((line) -> {
				JsonNode event = json.readTree(line);
				assertThat(event.path("traceId").asString()).isEqualTo(traceId);
				assertThat(event.path("requestId").asString()).isEqualTo("req-json-1");
			});
	}

}
