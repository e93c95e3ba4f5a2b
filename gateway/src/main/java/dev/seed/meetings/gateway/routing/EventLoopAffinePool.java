package dev.seed.meetings.gateway.routing;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * Connections to the services, pooled per event loop: a request forwarded from an event loop gets a connection of
 * that same loop. The client's loops are the server's (Reactor Netty shares them), and a new connection is made on
 * the loop that asks for it, but one pool for all loops hands an idle connection to whichever loop asks next: about
 * every other request was then written by one loop, answered on the other and handed back to the first, two thread
 * hand-offs (a wake-up each) per request on the gateway's busiest path (flight recordings under load). A caller that is
 * not on one of the client's loops (a reply resumed on another client's thread) shares one more pool.
 */
final class EventLoopAffinePool implements ConnectionProvider {

	private final Supplier<ConnectionProvider> pools;

	private final ConnectionProvider shared;

	private final Map<EventExecutor, ConnectionProvider> perLoop = new ConcurrentHashMap<>();

	/** @param pools makes one pool, with the settings every loop's pool has */
	EventLoopAffinePool(Supplier<ConnectionProvider> pools) {
		this.pools = pools;
		this.shared = pools.get();
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
		return poolOfCallingLoop(config.loopResources().onClient(config.isPreferNative()))
			.acquire(config, observer, remoteAddress, resolverGroup);
	}

	private ConnectionProvider poolOfCallingLoop(EventLoopGroup loops) {
		for (EventExecutor loop : loops) {
			if (loop.inEventLoop()) {
				return this.perLoop.computeIfAbsent(loop, (own) -> this.pools.get());
			}
		}
		return this.shared;
	}

	@Override
	public Mono<Void> disposeLater() {
		List<ConnectionProvider> all = new ArrayList<>(this.perLoop.values());
		all.add(this.shared);
		return Flux.fromIterable(all).flatMap(ConnectionProvider::disposeLater).then();
	}

	@Override
	public boolean isDisposed() {
		return this.shared.isDisposed();
	}

	@Override
	public String name() {
		return this.shared.name();
	}

	/** Per pool: every loop's pool, and the shared one, may open this many. */
	@Override
	public int maxConnections() {
		return this.shared.maxConnections();
	}

}
