package dev.seed.meetings.notifier.events;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.rabbitmq.BindingSpecification;
import reactor.rabbitmq.QueueSpecification;

import org.springframework.stereotype.Component;

/**
 * {@link MeetingChangeInbox} on the notifier's shared broker connection: the durable queue
 * {@code notification.meeting.changed}, bound to {@code meeting.updated} and {@code meeting.cancelled}, and its
 * parking queue. A queue of its own, so that changes never wait behind a backlog of new bookings.
 */
@Component
class RabbitMeetingChangeInbox implements MeetingChangeInbox {

	private static final String QUEUE = BrokerNames.CHANGED_QUEUE;

	private static final String PARKING_QUEUE = BrokerNames.CHANGED_PARKING_QUEUE;

	private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

	private final RabbitMeetingEventInbox inbox;

	RabbitMeetingChangeInbox(RabbitMeetingEventInbox inbox) {
		this.inbox = inbox;
		// at start-up, before consuming: the queue must exist first (the exchange is declared by the inbox)
		Mono.when(inbox.sender().declareQueue(QueueSpecification.queue(QUEUE).durable(true)),
				inbox.sender().declareQueue(QueueSpecification.queue(PARKING_QUEUE).durable(true)))
			.then(inbox.sender().bind(BindingSpecification.binding(BrokerNames.EXCHANGE, BrokerNames.MEETING_UPDATED, QUEUE)))
			.then(inbox.sender().bind(BindingSpecification.binding(BrokerNames.EXCHANGE, BrokerNames.MEETING_CANCELLED, QUEUE)))
			.block(BROKER_TIMEOUT);
	}

	@Override
	public Flux<InboundMessage> receive() {
		return this.inbox.receive(QUEUE);
	}

	@Override
	public Mono<Void> park(InboundMessage message, String reason) {
		return this.inbox.park(message, reason, PARKING_QUEUE);
	}

}
