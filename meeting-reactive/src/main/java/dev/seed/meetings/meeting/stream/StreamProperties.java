package dev.seed.meetings.meeting.stream;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code GET /api/meetings/stream} under {@code meeting.stream.*}.
 * @param heartbeat pause between two keep-alive lines (an SSE comment, an NDJSON {@code heartbeat} line)
 * @param subscriberBuffer events one subscriber may have waiting before it is dropped
 * @param retention what a reconnecting client may resume from
 * @param reconnectDelay first pause before the broker subscription is opened again after it was lost (grows to 30 s)
 * @param subscribeWait how long start-up waits for the broker subscription before it goes on without it
 */
@Validated
@ConfigurationProperties("meeting.stream")
record StreamProperties(@NotNull @DefaultValue("15s") Duration heartbeat,
		@Min(1) @Max(100_000) @DefaultValue("256") int subscriberBuffer, @Valid @DefaultValue Retention retention,
		@NotNull @DefaultValue("1s") Duration reconnectDelay, @NotNull @DefaultValue("5s") Duration subscribeWait) {

	/**
	 * The window of recent events kept in memory for {@code Last-Event-ID}: the last {@code events}, none older than
	 * {@code age}.
	 */
	record Retention(@Min(1) @Max(100_000) @DefaultValue("1000") int events, @NotNull @DefaultValue("5m") Duration age) {
	}

}
