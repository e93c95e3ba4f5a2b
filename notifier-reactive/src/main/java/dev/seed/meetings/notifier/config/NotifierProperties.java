package dev.seed.meetings.notifier.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the notifier ({@code notifier.*}).
 *
 * @param maxConcurrentSends SMTP sends in flight at most, across all messages; also the AMQP prefetch
 * @param defaultTimezone zone used to show meeting times when neither the attendee's nor the organizer's zone is
 * known
 * @param publicBaseUrl base of each attendee's invitation link {@code {publicBaseUrl}/invitations/{token}}
 * @param claimTtl how long an instance owns an attendee it is mailing without renewing the claim; once it has lapsed
 * (the owner crashed), any instance's poller takes the attendee over
 * @param claimRenewEvery how often a running instance renews the claims it holds (well below {@code claimTtl})
 * @param requeueDelay pause before a message whose processing failed is handed back to the broker
 * @param maxMessageFailures times the processing of one message may fail (whatever the exception) before it is
 * parked with its reason
 * @param shutdownGrace how long a stopping notifier lets the messages in progress finish before it lets go of them
 * @param recordWindow how long a send's outcome may wait for others of the same message to be recorded with it in
 * one statement (a full wave of {@code maxConcurrentSends} outcomes, or the message's last ones, go at once)
 * @param events the invitation events published for streaming clients
 * @param invitations how the invitation links are signed
 */
@Validated
@ConfigurationProperties("notifier")
public record NotifierProperties(
		@Min(1) @Max(256) @DefaultValue("16") int maxConcurrentSends,
		@NotBlank @DefaultValue("UTC") String defaultTimezone,
		@NotNull @DefaultValue("http://localhost:8080") URI publicBaseUrl,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("30s") Duration claimTtl,
		@NotNull @DurationMin(millis = 100) @DefaultValue("10s") Duration claimRenewEvery,
		@NotNull @DefaultValue("1s") Duration requeueDelay,
		@Min(1) @Max(100) @DefaultValue("5") int maxMessageFailures,
		@NotNull @DefaultValue("15s") Duration shutdownGrace,
		@NotNull @DurationMin(millis = 1) @DefaultValue("50ms") Duration recordWindow,
		@Valid @DefaultValue Smtp smtp,
		@Valid @DefaultValue Mail mail,
		@Valid @DefaultValue Retry retry,
		@Valid @DefaultValue Events events,
		@Valid @DefaultValue Invitations invitations) {

	public NotifierProperties {
		// fail at start-up rather than on the first message
		ZoneId.of(defaultTimezone);
		if (claimRenewEvery.compareTo(claimTtl) >= 0) {
			throw new IllegalArgumentException("notifier.claim-renew-every must be shorter than notifier.claim-ttl");
		}
	}

	public ZoneId defaultZone() {
		return ZoneId.of(this.defaultTimezone);
	}

	/**
	 * @param timeout connect, read and write timeout of one SMTP session
	 */
	public record Smtp(
			@NotBlank @DefaultValue("127.0.0.1") String host,
			@Min(1) @Max(65535) @DefaultValue("2525") int port,
			String username,
			String password,
			@NotNull @DefaultValue("10s") Duration timeout) {
	}

	public record Mail(
			@NotBlank @DefaultValue("invitations@meetings.local") String from,
			@NotBlank @DefaultValue("Meetings") String fromName) {
	}

	/**
	 * Transient SMTP failures (4xx, refused or dropped connections, timeouts) are tried again on a schedule kept in
	 * the delivery rows: exponential back-off from {@code firstBackoff} up to {@code maxBackoff}, with jitter, until
	 * {@code giveUpAfter} from the first failure; then the invitation is FAILED (and can be replayed).
	 * @param pollInterval how often each instance looks for due invitations (at once again after a full batch)
	 * @param pollBatch invitations one poll claims at most
	 */
	public record Retry(
			@NotNull @DurationMin(millis = 1) @DefaultValue("2s") Duration firstBackoff,
			@NotNull @DurationMin(millis = 1) @DefaultValue("5m") Duration maxBackoff,
			@NotNull @DurationMin(millis = 1) @DefaultValue("24h") Duration giveUpAfter,
			@NotNull @DurationMin(millis = 10) @DefaultValue("1s") Duration pollInterval,
			@Min(1) @Max(1_000) @DefaultValue("64") int pollBatch) {
	}

	/**
	 * {@code invitation.sent} / {@code invitation.failed}, published best effort after the delivery is recorded.
	 * @param publishTimeout how long one event may wait for the broker's confirm before it is given up (and logged)
	 * @param bufferSize events waiting to be published at most; beyond that new ones are dropped (and logged)
	 */
	public record Events(
			@NotNull @DefaultValue("5s") Duration publishTimeout,
			@Min(16) @Max(100_000) @DefaultValue("1024") int bufferSize) {
	}

	/**
	 * @param secret the HMAC-SHA256 key that signs each invitation link's token, at least 32 bytes (UTF-8); the
	 * service that opens the links verifies them with the same key. No default: the notifier does not start without
	 * it.
	 */
	public record Invitations(@NotNull(message = "must be set: the key that signs invitation links") String secret) {

		public Invitations {
			if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
				throw new IllegalArgumentException("notifier.invitations.secret must be at least 32 bytes");
			}
		}

	}

}
