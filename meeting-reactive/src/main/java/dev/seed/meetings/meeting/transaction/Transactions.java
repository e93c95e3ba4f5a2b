package dev.seed.meetings.meeting.transaction;

import java.util.concurrent.CancellationException;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * {@link TransactionalOperator} whose transactions always end with their own commit or rollback, whatever happens to
 * the subscriber: a subscriber that cancels (a client that went away, a timeout) gets the transaction rolled back, and
 * its connection goes back to the pool only after that.
 * <p>
 * Spring rolls a transaction back on cancel, but a cancel that arrives while the transaction begins travels on into
 * r2dbc-pool's acquisition, which then takes the connection back at once: with its BEGIN already sent, so that the
 * next borrower's statements (the outbox relay's updates) ran in a transaction nobody ended. Here a cancel never
 * reaches the transaction; it becomes an error inside it, which Spring answers with a rollback and then the release.
 */
public final class Transactions {

	private final TransactionalOperator operator;

	private Transactions(TransactionalOperator operator) {
		this.operator = operator;
	}

	public static Transactions create(ReactiveTransactionManager transactionManager) {
		return new Transactions(TransactionalOperator.create(transactionManager));
	}

	/** The work in a transaction: committed when it succeeds, rolled back when it fails or its subscriber cancels. */
	public <T> Mono<T> transactional(Mono<T> work) {
		return Mono.deferContextual((context) -> {
			Sinks.Empty<T> cancelled = Sinks.empty();
			Sinks.One<T> outcome = Sinks.one();
			// subscribed on its own, so that a cancel cannot cut the transaction short: it fails the work instead
			this.operator.transactional(Mono.firstWithSignal(work, cancelled.asMono()))
				.contextWrite(context)
				.subscribe(outcome::tryEmitValue, outcome::tryEmitError, outcome::tryEmitEmpty);
			return outcome.asMono()
				.doOnCancel(() -> cancelled.tryEmitError(new CancellationException("the transaction's caller cancelled")));
		});
	}

}
