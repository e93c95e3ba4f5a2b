package dev.seed.meetings.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopAffinePoolTests {

	private final LoopResources loops = LoopResources.create("affine-test", 2, true);

	private final DisposableServer service = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.runOn(this.loops)
		.handle((request, response) -> response.sendString(Mono.just("ok")))
		.bindNow();

	private final EventLoopAffinePool pool = new EventLoopAffinePool(() -> ConnectionProvider.create("affine-test", 8));

	private final HttpClient client = HttpClient.create(this.pool)
		.runOn(this.loops)
		.baseUrl("http://127.0.0.1:" + this.service.port());

	@AfterEach
	void stop() {
		this.pool.disposeLater().block(Duration.ofSeconds(5));
		this.service.disposeNow();
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

	/**
	 * Every request sent from an event loop goes out on a connection of that loop, and the connections are reused. With
	 * one pool for both loops (ConnectionProvider.create alone), an idle connection goes to whichever loop asks next.
	 */
	@Test
	void aRequestFromAnEventLoopIsSentOnAConnectionOfThatLoop() {
		List<EventLoop> callers = new ArrayList<>();
		for (EventExecutor loop : this.loops.onClient(true)) {
			for (int i = 0; i < 20; i++) {
				callers.add((EventLoop) loop);
			}
		}
		Set<Channel> connections = new HashSet<>();

		Flux.fromIterable(callers)
			.concatMap((caller) -> connectionOfRequestFrom(caller).map((connection) -> {
				connections.add(connection);
				return connection.eventLoop() == caller;
			}))
			.as(StepVerifier::create)
			.expectNextSequence(callers.stream().map((caller) -> true).toList())
			.verifyComplete();
		// one request at a time: one connection per loop, kept and reused
		assertThat(connections).hasSize(2);
	}

	/** A request from a thread that is no event loop of the client still gets a connection (the shared pool). */
	@Test
	void aRequestFromAnotherThreadIsSentToo() {
		Flux.range(0, 5)
			.concatMap((i) -> this.client.get().uri("/").responseContent().aggregate().asString())
			.subscribeOn(Schedulers.boundedElastic())
			.as(StepVerifier::create)
			.expectNext("ok", "ok", "ok", "ok", "ok")
			.verifyComplete();
	}

	private Mono<Channel> connectionOfRequestFrom(EventLoop caller) {
		return this.client.get()
			.uri("/")
			.responseConnection((response, connection) -> connection.inbound()
				.receive()
				.then(Mono.just(connection.channel())))
			.next()
			.subscribeOn(Schedulers.fromExecutor(caller));
	}

}
