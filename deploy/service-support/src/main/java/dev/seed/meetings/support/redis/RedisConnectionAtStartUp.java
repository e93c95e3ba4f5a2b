package dev.seed.meetings.support.redis;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * Opens the shared Redis connection at start-up. Lettuce's connection factory opens it the first time it is used and
 * waits for the handshake: done by a request, that would block a Netty thread. Once open, Lettuce reconnects it in
 * the background. The factory's own eager initialization is not used: it fails the start-up when Redis is down,
 * and a service must start without its cache or its rate limits.
 * <p>
 * If Redis is not reachable at start-up, the connection is tried again in the background every
 * {@value #RETRY_SECONDS} s until it opens; until then {@link #isOpen()} is false. A caller that must never wait for a
 * connect keeps its calls off the event loops (meeting-reactive's cache always does).
 */
public class RedisConnectionAtStartUp implements SmartInitializingSingleton, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RedisConnectionAtStartUp.class);

	static final int RETRY_SECONDS = 2;

	private final ReactiveRedisConnectionFactory connectionFactory;

	private volatile boolean open;

	private volatile Disposable retrying;

	public RedisConnectionAtStartUp(ReactiveRedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		RuntimeException failure = connect();
		if (failure == null) {
			return;
		}
		log.warn("Redis not reachable at start-up, calls to it fail until it is; connecting again every {} s: {}",
				RETRY_SECONDS, failure.toString());
		Duration every = Duration.ofSeconds(RETRY_SECONDS);
		// the attempts wait for the handshake: on a thread that may block, never on an event loop
		this.retrying = Flux.interval(every, every, Schedulers.boundedElastic())
			.takeUntil((attempt) -> connect() == null)
			.subscribe(null, null, () -> log.info("Redis connection opened"));
	}

	/** Whether the shared connection has been opened: a call to Redis then never waits for a connect. */
	public boolean isOpen() {
		return this.open;
	}

	/** Opens the shared connection; the failure, or null once it is open. */
	private RuntimeException connect() {
		// closing the reactive connection leaves the shared native connection open
		try (ReactiveRedisConnection connection = this.connectionFactory.getReactiveConnection()) {
			log.debug("Redis connection ready: {}", connection);
			this.open = true;
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	@Override
	public void destroy() {
		Disposable running = this.retrying;
		if (running != null) {
			running.dispose();
		}
	}

}
