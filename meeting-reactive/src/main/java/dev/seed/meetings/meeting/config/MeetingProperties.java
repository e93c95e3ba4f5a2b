package dev.seed.meetings.meeting.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of meeting-reactive under {@code meeting.*}.
 *
 * @param gatewayToken the token the gateway sends in {@code X-Gateway-Token} ({@code gateway.service-token}); when
 * set, {@code X-User-Id} is taken only from requests that carry it. None by default (a warning at start-up)
 */
@Validated
@ConfigurationProperties("meeting")
public record MeetingProperties(@Valid @DefaultValue UserService userService, @Valid @DefaultValue Cache cache,
		@Valid @DefaultValue Events events, @Valid @DefaultValue Outbox outbox, @Valid @DefaultValue Booking booking,
		@Valid @DefaultValue Retention retention, String gatewayToken) {

	/**
	 * One {@code POST /api/meetings} as a whole.
	 * @param timeout bound on the whole booking, whatever it waits on; past it the client gets 503 and may retry
	 * with the same Idempotency-Key (201 if it had committed). Timeouts nest: this bound plus a margin for the answer
	 * (1 s) stays below the gateway's response timeout (10 s), so that the booking answers for itself before the
	 * gateway gives up on it with a 504
	 */
	public record Booking(@NotNull @DefaultValue("8s") Duration timeout) {
	}

	/**
	 * The user directory (user-reactive) that attendee ids are resolved against.
	 * @param baseUrl where user-reactive answers
	 * @param connectTimeout TCP connect bound of one lookup
	 * @param responseTimeout bound on the whole answer of one lookup
	 * @param maxConcurrentLookups how many attendee lookups one booking runs at once (64: a meeting of up to 64
	 * uncached attendees costs one lookup latency, not several)
	 * @param retries how many times a lookup that failed with 5xx or a timeout is tried again
	 * @param retryBackoff first back-off between those tries (grows, with jitter)
	 * @param maxConnections pooled connections to the directory, shared by all bookings (Reactor Netty's default
	 * pool allows only 2 per core, 16 at least, which would cut a fan-out into waves)
	 */
	public record UserService(@NotBlank @DefaultValue("http://127.0.0.1:8082") String baseUrl,
			@NotNull @DefaultValue("1s") Duration connectTimeout, @NotNull @DefaultValue("2s") Duration responseTimeout,
			@Min(1) @Max(256) @DefaultValue("64") int maxConcurrentLookups, @Min(0) @Max(5) @DefaultValue("2") int retries,
			@NotNull @DefaultValue("100ms") Duration retryBackoff,
			@Min(1) @Max(4096) @DefaultValue("256") int maxConnections) {
	}

	/**
	 * Redis cache-aside settings.
	 * @param keyPrefix prepended to every key this service reads or writes
	 * @param ttl lifetime of {@code user:profile:*} and {@code meeting:info:*} entries
	 * @param timeout bound on one cache call; past it the cache is skipped, never the booking
	 */
	public record Cache(@NotNull @DefaultValue("") String keyPrefix, @NotNull @DefaultValue("10m") Duration ttl,
			@NotNull @DefaultValue("500ms") Duration timeout) {
	}

	/**
	 * Publishing of {@code MeetingCreated}.
	 * @param confirmTimeout how long a booking waits for the broker's confirm before answering anyway
	 */
	public record Events(@NotNull @DefaultValue("2s") Duration confirmTimeout) {
	}

	/**
	 * The relay that publishes outbox rows the fast path could not.
	 * @param relayEnabled whether this instance runs the relay
	 * @param relayInterval pause between two relay passes
	 * @param batchSize rows claimed per statement; a pass claims batch after batch while they come full and confirmed
	 * @param relayConcurrency batches a pass publishes side by side (batch size times this stays below the
	 * publisher's backlog of 1024 messages)
	 * @param relayGrace age a row must reach before the relay takes it: longer than the confirm timeout, so that the
	 * relay leaves a booking's own publish alone
	 * @param claimLease how long a relay pass owns the rows it claimed, and so the bound after which a row the broker
	 * has not acked is published again (a late ack within it marks the row instead); longer than the confirm timeout,
	 * and short enough to retry the rows of an instance that died
	 * @param markInterval pause between two passes that mark the rows the bookings' own publishes saw confirmed (one
	 * statement for all of them, not one per booking); shorter than the relay grace, so that the relay does not
	 * publish them again
	 */
	public record Outbox(@DefaultValue("true") boolean relayEnabled, @NotNull @DefaultValue("5s") Duration relayInterval,
			@Min(1) @Max(1000) @DefaultValue("200") int batchSize, @Min(1) @Max(16) @DefaultValue("4") int relayConcurrency,
			@NotNull @DefaultValue("5s") Duration relayGrace,
			@NotNull @DefaultValue("30s") Duration claimLease, @NotNull @DefaultValue("100ms") Duration markInterval) {
	}

	/**
	 * What the periodic retention pass deletes.
	 * @param idempotencyKeys how long an Idempotency-Key gives back its first answer; a retry after that books again
	 * @param publishedEvents how long an outbox row stays once the broker confirmed it (for inspection)
	 * @param interval pause between two passes
	 */
	public record Retention(@NotNull @DefaultValue("24h") Duration idempotencyKeys,
			@NotNull @DefaultValue("7d") Duration publishedEvents, @NotNull @DefaultValue("1h") Duration interval) {
	}

}
