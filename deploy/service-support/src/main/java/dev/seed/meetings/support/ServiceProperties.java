package dev.seed.meetings.support;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the shared parts of every service are told by its {@code application.yml}, under {@code service.*}.
 * @param retryAfter what every 503 of the service tells the client to wait ({@code Retry-After}, in whole seconds)
 * @param issueRequestIds whether this service gives a request without a usable {@code X-Request-Id} one of its own
 * and answers with it: the gateway does, the services behind it log the gateway's
 * @param api the OpenAPI document's title and description; without a title the service publishes none of its own
 */
@Validated
@ConfigurationProperties("service")
public record ServiceProperties(@NotNull @DefaultValue("5s") Duration retryAfter,
		@DefaultValue("false") boolean issueRequestIds, @Valid @DefaultValue Api api) {

	/** {@link #retryAfter} as the header's value: whole seconds, at least one. */
	public String retryAfterSeconds() {
		return Long.toString(Math.max(1, this.retryAfter.toSeconds()));
	}

	public record Api(String title, @NotBlank @DefaultValue("v1") String version, @DefaultValue("") String description) {
	}

}
