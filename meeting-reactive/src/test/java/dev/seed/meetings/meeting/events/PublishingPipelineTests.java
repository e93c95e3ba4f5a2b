package dev.seed.meetings.meeting.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.TrafficListener;
import dev.seed.meetings.meeting.EventQueue;
import dev.seed.meetings.testsupport.FaultProxy;
import dev.seed.meetings.testsupport.TestStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher on its own against this run's vhost: one long-lived confirmed channel, confirms routed back to each
 * publish, and fail-fast while the broker is away.
 */
class PublishingPipelineTests {

	static final FaultProxy broker = FaultProxy.start("rabbitmq-pipeline", TestStack.get().rabbitHost(),
			TestStack.get().rabbitPort());

	private final AtomicInteger confirmSelects = new AtomicInteger();

	private final AtomicInteger channelOpens = new AtomicInteger();

	private RabbitEventPublisher publisher;

	@AfterEach
	void stop() {
		broker.heal();
		if (this.publisher != null) {
			this.publisher.stop();
		}
	}

	/** 100 concurrent publishes are each confirmed, through one channel put into confirm mode once. */
	@Test
	void manyPublishesShareOneConfirmedChannel() throws Exception {
		this.publisher = start(TestStack.get().rabbitHost(), TestStack.get().rabbitPort());
		try (EventQueue queue = new EventQueue()) {
			List<OutboundEvent> events = events(100);
			Flux.fromIterable(events)
				.flatMap(this.publisher::publishConfirmed, 32)
				.collectList()
				.as(StepVerifier::create)
				.assertNext((confirmed) -> assertThat(confirmed).hasSize(100).containsOnly(true))
				.verifyComplete();

			assertThat(this.confirmSelects).as("confirm.select sent").hasValue(1);
			// one channel for declaring the topology, one for publishing
			assertThat(this.channelOpens).as("channel.open sent").hasValueLessThanOrEqualTo(2);
			assertThat(queue.take(100, Duration.ofSeconds(10))).extracting((m) -> m.getProps().getMessageId())
				.containsAll(events.stream().map((event) -> event.eventId().toString()).toList());
		}
	}

	/** With the broker link cut a publish answers false at once; after the heal the pipeline reopens by itself. */
	@Test
	void failsFastWhileCutAndReopensAfterTheHeal() {
		this.publisher = start(broker.host(), broker.port());
		broker.cut();
		this.publisher.publishConfirmed(events(1).get(0))
			.as(StepVerifier::create)
			.expectNext(false)
			.verifyComplete();
		broker.heal();
		awaitConfirmed(this.publisher, Duration.ofSeconds(30));
	}

	private RabbitEventPublisher start(String host, int port) {
		TrafficListener traffic = new TrafficListener() {
			@Override
			public void write(Command command) {
				if (command.getMethod() instanceof AMQP.Confirm.Select) {
					PublishingPipelineTests.this.confirmSelects.incrementAndGet();
				}
				if (command.getMethod() instanceof AMQP.Channel.Open) {
					PublishingPipelineTests.this.channelOpens.incrementAndGet();
				}
			}

			@Override
			public void read(Command command) {
			}
		};
		DefaultListableBeanFactory none = new DefaultListableBeanFactory();
		RabbitEventPublisher started = new RabbitEventPublisher(
				new RabbitConnectionProperties(host, port, "guest", "guest", TestStack.get().vhost()),
				new SimpleMeterRegistry(),
				new TraceHeaders(none.getBeanProvider(Tracer.class), none.getBeanProvider(Propagator.class)), traffic);
		started.start();
		awaitConfirmed(started, Duration.ofSeconds(15));
		return started;
	}

	/** Publishes a probe until one is confirmed: the pipeline is up. */
	private static void awaitConfirmed(RabbitEventPublisher publisher, Duration within) {
		Mono.defer(() -> publisher.publishConfirmed(events(1).get(0)))
			.filter(Boolean::booleanValue)
			.repeatWhenEmpty((empty) -> empty.delayElements(Duration.ofMillis(200)))
			.as(StepVerifier::create)
			.expectNext(true)
			.expectComplete()
			.verify(within);
	}

	private static List<OutboundEvent> events(int count) {
		List<OutboundEvent> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			UUID eventId = UUID.randomUUID();
			events.add(new OutboundEvent(UUID.randomUUID(), eventId, MeetingCreated.TYPE, MeetingCreated.ROUTING_KEY,
					"{\"eventId\":\"" + eventId + "\",\"type\":\"MeetingCreated\"}"));
		}
		return events;
	}

}
