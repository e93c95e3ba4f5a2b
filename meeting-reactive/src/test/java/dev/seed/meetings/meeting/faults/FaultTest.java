package dev.seed.meetings.meeting.faults;

import java.time.Duration;
import java.util.List;

import dev.seed.meetings.meeting.UserDirectoryStub;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The whole service with one of its connections running through a {@link dev.seed.meetings.testsupport.FaultProxy}.
 * Each subclass gets a context of its own, closed after the class, so that a context whose proxies are cut or whose
 * relay runs never serves another test class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@DirtiesContext
abstract class FaultTest {

	static final UserDirectoryStub users = UserDirectoryStub.get();

	@Autowired
	WebTestClient http;

	@LocalServerPort
	int port;

	/** This run's slice of the real servers, with the relay off; subclasses then point one connection at a proxy. */
	static void registerStack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
		registry.add("meeting.cache.key-prefix", () -> TestStack.get().redisKeyPrefix());
		registry.add("meeting.user-service.base-url", users::baseUrl);
		registry.add("meeting.outbox.relay-enabled", () -> "false");
	}

	/** The same, with the broker reached through {@code broker}. */
	static void registerStackWithBrokerThrough(DynamicPropertyRegistry registry, FaultProxy broker) {
		registerStack(registry);
		registry.add("spring.rabbitmq.host", broker::host);
		registry.add("spring.rabbitmq.port", broker::port);
	}

	static String meetingJson(String title, List<String> attendees) {
		return "{\"title\":\"" + title + "\",\"startAt\":\"2027-05-10T10:00:00+09:00\","
				+ "\"endAt\":\"2027-05-10T11:00:00+09:00\",\"location\":\"Room 5B\",\"attendees\":[\""
				+ String.join("\",\"", attendees) + "\"]}";
	}

	WebTestClient.ResponseSpec post(String title, List<String> attendees) {
		return this.http.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson(title, attendees))
			.exchange();
	}

	/** A client for bookings that run concurrently; gives the status and body of each answer with its duration. */
	Mono<Answer> book(WebClient client, String title, List<String> attendees) {
		long started = System.nanoTime();
		return client.post()
			.uri("/api/meetings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(meetingJson(title, attendees))
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), body,
						Duration.ofNanos(System.nanoTime() - started))))
			// a booking that never answers shows up as such instead of hanging the test
			.timeout(Duration.ofSeconds(30), Mono.fromSupplier(() -> new Answer(0, "no answer in 30 s",
					Duration.ofNanos(System.nanoTime() - started))));
	}

	WebClient client() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	record Answer(int status, String body, Duration elapsed) {
	}

}
