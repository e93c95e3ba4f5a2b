package dev.seed.meetings.meeting.stream;

import reactor.core.publisher.Flux;

/**
 * Our own face of the broker subscription behind the stream, so that the rest of the service does not depend on the
 * client library.
 */
interface EventFeed {

	/**
	 * The {@code meeting.created}, {@code invitation.sent}, {@code invitation.failed} and
	 * {@code invitation.answered} messages published from the
	 * moment of subscription, acknowledged on delivery. Each subscription is one private queue; the flux completes or
	 * fails when the broker connection is lost, and subscribing again opens a new one. {@code bound} runs once the
	 * subscription's queue is bound: from then on no message published is missed.
	 */
	Flux<FeedMessage> messages(Runnable bound);

}
