package dev.seed.meetings.meeting.stream;

import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.rabbitmq.RabbitFlux;
import reactor.rabbitmq.Receiver;
import reactor.rabbitmq.ReceiverOptions;

import org.springframework.stereotype.Component;

import dev.seed.meetings.meeting.events.BrokerNames;
import dev.seed.meetings.support.rabbit.RabbitConnectionProperties;

/**
 * {@link EventFeed} on reactor-rabbitmq. Each subscription opens its own connection ({@code meeting-reactive-stream})
 * and an exclusive, auto-delete, server-named queue bound to the routing keys of the stream's events, consumed without acknowledgements:
 * the stream is a live view, not a work queue, and nothing is left behind when the instance goes away.
 * <p>
 * A connection of its own rather than the publisher's: RabbitMQ blocks a connection that publishes while it is under
 * memory or disk pressure, and the consumer of the live view must not stop with it. It has no automatic recovery:
 * a server-named exclusive queue dies with its connection, so the subscriber starts over with a fresh queue instead.
 */
@Component
class RabbitEventFeed implements EventFeed {

	static final String EXCHANGE = BrokerNames.EXCHANGE;

	static final List<String> ROUTING_KEYS = BrokerNames.ALL;

	private static final String CONNECTION_NAME = BrokerNames.STREAM_CONNECTION;

	private static final int TIMEOUT_MILLIS = 5_000;

	private static final Logger log = LoggerFactory.getLogger(RabbitEventFeed.class);

	private final ConnectionFactory factory;

	RabbitEventFeed(RabbitConnectionProperties properties) {
		this.factory = properties.connectionFactory();
		this.factory.setAutomaticRecoveryEnabled(false);
		this.factory.setConnectionTimeout(TIMEOUT_MILLIS);
		this.factory.setHandshakeTimeout(TIMEOUT_MILLIS);
	}

	@Override
	public Flux<FeedMessage> messages(Runnable bound) {
		return Flux.usingWhen(connect(), (connection) -> consume(connection, bound), this::close);
	}

	private Mono<Connection> connect() {
		return Mono.fromCallable(() -> this.factory.newConnection(CONNECTION_NAME))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private Flux<FeedMessage> consume(Connection connection, Runnable bound) {
		// the shared scheduler: a receiver left to itself would start a thread pool of its own per subscription
		Receiver receiver = RabbitFlux.createReceiver(new ReceiverOptions().connectionMono(Mono.just(connection))
			.connectionSubscriptionScheduler(Schedulers.boundedElastic()));
		// a non-recovering channel completes this flux when it shuts down; a bound queue keeps what is published
		// before the consumer is registered
		return declareQueue(connection).doOnNext((queue) -> bound.run())
			.flatMapMany(receiver::consumeNoAck)
			.map((delivery) -> new FeedMessage(delivery.getEnvelope().getRoutingKey(), delivery.getBody()));
	}

	/** The exchange of the contract (declared identically everywhere) and this subscription's private queue. */
	private Mono<String> declareQueue(Connection connection) {
		return Mono.fromCallable(() -> {
			try (Channel channel = connection.createChannel()) {
				channel.exchangeDeclare(EXCHANGE, "topic", true);
				String queue = channel.queueDeclare("", false, true, true, null).getQueue();
				for (String routingKey : ROUTING_KEYS) {
					channel.queueBind(queue, EXCHANGE, routingKey);
				}
				log.info("Live stream subscribed to {} through queue {}", ROUTING_KEYS, queue);
				return queue;
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Mono<Void> close(Connection connection) {
		return Mono.fromRunnable(() -> {
			try {
				if (connection.isOpen()) {
					connection.close(TIMEOUT_MILLIS);
				}
			}
			catch (Exception ex) {
				log.debug("Closing the stream's broker connection: {}", ex.toString());
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

}
