package dev.seed.meetings.meeting.booking;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code GET /api/meetings?from=&to=} under {@code meeting.listing.*}.
 * @param maxWindow the longest {@code from}–{@code to} window one request may ask for
 * @param fetchSize rows the database sends per round trip; the next batch is fetched only when the client has read on
 * @param rowTimeout the longest wait for the next row, the client's own reading pauses included
 */
@Validated
@ConfigurationProperties("meeting.listing")
record ListingProperties(@NotNull @DefaultValue("366d") Duration maxWindow,
		@Min(1) @Max(10_000) @DefaultValue("100") int fetchSize, @NotNull @DefaultValue("30s") Duration rowTimeout) {
}
