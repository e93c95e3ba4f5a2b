package dev.seed.meetings.notifier.invitation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.ReceiverContext;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.seed.meetings.notifier.events.InboundMessage;

/**
 * Handles each message inside an observation that continues the W3C trace context of its AMQP headers (the
 * booking's trace, when meeting-reactive published it in one), so that the notifier's logs carry the booking's trace
 * id. A message without {@code traceparent} starts a trace of its own. Also timed as
 * {@code notifier.event.handling}.
 */
@Component
class MessageTracing {

	private static final String NAME = "notifier.event.handling";

	private final ObservationRegistry registry;

	MessageTracing(ObjectProvider<ObservationRegistry> registry) {
		this.registry = registry.getIfAvailable(() -> ObservationRegistry.NOOP);
	}

	Mono<Void> continueTrace(InboundMessage message, Mono<Void> handling) {
		return Mono.defer(() -> {
			ReceiverContext<Map<String, Object>> context = new ReceiverContext<>(MessageTracing::header);
			context.setCarrier(message.headers());
			context.setRemoteServiceName("rabbitmq");
			Observation observation = Observation.createNotStarted(NAME, () -> context, this.registry)
				.contextualName("MeetingCreated receive")
				.start();
			return handling.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	/** AMQP gives header values as its own string type (or bytes); the propagator wants a String. */
	private static String header(Map<String, Object> headers, String key) {
		Object value = headers.get(key);
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value != null) ? value.toString() : null;
	}

}
