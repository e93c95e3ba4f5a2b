package dev.seed.meetings.user;

import dev.seed.meetings.testsupport.TestStack;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole service on a random port against this run's database on the real PostgreSQL. All subclasses share one
 * application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
public abstract class IntegrationTest {

	@Autowired
	protected WebTestClient http;

	@DynamicPropertySource
	static void stack(DynamicPropertyRegistry registry) {
		TestStack.get().register(registry);
	}

}
