package dev.anet.boot.metrics;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerListener;
import dev.anet.broker.RequestOutcome;
import dev.anet.pool.Addresses;
import dev.anet.pool.ConnectionPool;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.HandlerOutcome;
import dev.anet.server.ServerConnection;
import dev.anet.server.ServerListener;
import dev.anet.tls.TlsSide;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of anet's pools, broker and server. It is also the core's
 * {@link PoolListener}, {@link BrokerListener} and {@link ServerListener}: give it to the pool
 * group, broker and server when they are made, and bind it to a registry; events before the first
 * binding are not counted. Only the meters of the parts that exist at binding are registered.
 *
 * <p>Meters (see the README for base units and descriptions):
 * <ul>
 * <li>{@code anet.pool.connections.active}, {@code .idle}, {@code .pending}, {@code .max}: gauges,
 * tag {@code address}</li>
 * <li>{@code anet.pool.connections.created}, {@code .closed}: counters, tag {@code address}</li>
 * <li>{@code anet.pool.connections.acquire}: timer of every acquire, tag {@code address}</li>
 * <li>{@code anet.pool.dials.failed}: counter, tags {@code address} and {@code exception}</li>
 * <li>{@code anet.broker.queue.size}, {@code anet.broker.queue.capacity},
 * {@code anet.broker.requests.inflight}: gauges</li>
 * <li>{@code anet.broker.requests}: timer, tags {@code outcome} (success, timeout, rejected,
 * error) and {@code exception} (the simple class name of what the caller got, {@code none} on
 * success)</li>
 * <li>{@code anet.broker.responses.late}: counter</li>
 * <li>{@code anet.server.connections.active}, {@code anet.server.requests.pending}: gauges</li>
 * <li>{@code anet.server.connections.rejected}, {@code anet.server.frames.invalid}: counters</li>
 * <li>{@code anet.server.requests}: timer, tags {@code route} and {@code outcome} (success, error,
 * no-response, unrouted, and for answers that come later rejected and abandoned)</li>
 * <li>{@code anet.tls.handshakes}: timer, tags {@code side} (client, server) and {@code outcome}
 * (success, failure); registered for the sides that use TLS</li>
 * </ul>
 * Every {@code anet.pool.*} and {@code anet.broker.*} meter also has the tag {@code client}: the
 * client's name, {@value #DEFAULT_CLIENT} for the default client. Make one instance per client.
 */
public class AnetMetrics implements MeterBinder, PoolListener, BrokerListener, ServerListener {

	/** The {@code route} tag of a request that no route took. */
	public static final String NO_ROUTE = "none";

	private static final String[] BROKER_OUTCOMES = { "success", "timeout", "rejected", "error" };

	private static final String UNROUTED = "unrouted";

	/** The {@code exception} tag of a request that succeeded. */
	private static final String NO_EXCEPTION = "none";

	/** The {@code client} tag of the default client, the one of {@code anet.pool.addresses}. */
	public static final String DEFAULT_CLIENT = "default";

	private final String client;

	private final Supplier<@Nullable PoolGroup> pools;

	private final Supplier<@Nullable Broker> broker;

	private final Supplier<@Nullable AnetServer> server;

	private final Function<byte[], @Nullable String> routes;

	private final List<Binding> bindings = new CopyOnWriteArrayList<>();

	/** Whether to time {@code anet.broker.requests} and {@code anet.server.requests} (else observations do). */
	private final boolean requestTimers;

	/**
	 * Create the meters. Each supplier is asked once at binding.
	 * @param pools the pool group, if there is one; the broker's own is used when there is a
	 * broker
	 * @param broker the broker, if there is one
	 * @param server the server, if there is one
	 * @param routes the name of the route a request takes (the {@code route} tag), or
	 * {@code null} if none takes it
	 */
	public AnetMetrics(Supplier<@Nullable PoolGroup> pools, Supplier<@Nullable Broker> broker,
			Supplier<@Nullable AnetServer> server, Function<byte[], @Nullable String> routes) {
		this(DEFAULT_CLIENT, pools, broker, server, routes, true);
	}

	/**
	 * Create the meters of a named client: its pool and broker meters have the tag
	 * {@code client} with its name. Each supplier is asked once at binding.
	 * @param client the client's name ({@value #DEFAULT_CLIENT} for the default client)
	 * @param pools the pool group, if there is one; the broker's own is used when there is a
	 * broker
	 * @param broker the broker, if there is one
	 * @param server the server, if there is one
	 * @param routes the name of the route a request takes (the {@code route} tag), or
	 * {@code null} if none takes it
	 * @param requestTimers whether to register the {@code anet.broker.requests} and
	 * {@code anet.server.requests} timers: {@code false} when anet's observations make them
	 */
	public AnetMetrics(String client, Supplier<@Nullable PoolGroup> pools, Supplier<@Nullable Broker> broker,
			Supplier<@Nullable AnetServer> server, Function<byte[], @Nullable String> routes, boolean requestTimers) {
		this.client = client;
		this.requestTimers = requestTimers;
		this.pools = pools;
		this.broker = broker;
		this.server = server;
		this.routes = routes;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Broker broker = this.broker.get();
		PoolGroup pools = (broker != null) ? broker.pools() : this.pools.get();
		AnetServer server = this.server.get();
		Binding binding = new Binding(registry, pools, this.client);
		if (pools != null) {
			// a lazy group has no pools yet: each gets its meters at its first event instead
			for (ConnectionPool pool : pools.pools()) {
				binding.pool(pool.address());
			}
		}
		if (broker != null) {
			bindBroker(registry, broker, binding, this.requestTimers);
		}
		if (server != null) {
			bindServer(registry, server, binding);
		}
		if (pools != null && pools.config().tls() != null) {
			binding.tlsHandshakes[TlsSide.CLIENT.ordinal()] = tlsTimers(registry, TlsSide.CLIENT);
		}
		if (server != null && server.tls() != null) {
			binding.tlsHandshakes[TlsSide.SERVER.ordinal()] = tlsTimers(registry, TlsSide.SERVER);
		}
		this.bindings.add(binding);
	}

	private static void bindPool(MeterRegistry registry, ConnectionPool pool, String client) {
		String address = Addresses.format(pool.address());
		poolGauge(registry, "active", "Connections handed out to callers, or waiting for a free in-flight slot", pool,
				(p) -> p.stats().active(), BaseUnits.CONNECTIONS, address, client);
		poolGauge(registry, "idle", "Connections ready to be handed out", pool, (p) -> p.stats().idle(),
				BaseUnits.CONNECTIONS, address, client);
		poolGauge(registry, "pending", "Callers waiting for a connection", pool, (p) -> p.stats().pending(),
				BaseUnits.THREADS, address, client);
		poolGauge(registry, "max", "Most connections to the address (pool capacity)", pool, (p) -> p.stats().max(),
				BaseUnits.CONNECTIONS, address, client);
	}

	private static void poolGauge(MeterRegistry registry, String name, String description, ConnectionPool pool,
			ToDoubleFunction<ConnectionPool> value, String baseUnit, String address, String client) {
		Gauge.builder("anet.pool.connections." + name, pool, value)
			.description(description)
			.baseUnit(baseUnit)
			.tag("address", address)
			.tag("client", client)
			.register(registry);
	}

	private static void bindBroker(MeterRegistry registry, Broker broker, Binding binding, boolean requestTimers) {
		Gauge.builder("anet.broker.queue.size", broker, Broker::queueSize)
			.description("Requests accepted and not yet written")
			.baseUnit("requests")
			.tag("client", binding.client)
			.register(registry);
		Gauge.builder("anet.broker.queue.capacity", broker, Broker::queueCapacity)
			.description("Most requests that may wait to be written")
			.baseUnit("requests")
			.tag("client", binding.client)
			.register(registry);
		Gauge.builder("anet.broker.requests.inflight", broker, Broker::inFlight)
			.description("Requests written and waiting for their answer")
			.baseUnit("requests")
			.tag("client", binding.client)
			.register(registry);
		FunctionCounter.builder("anet.broker.responses.late", broker, Broker::lateResponses)
			.description("Answers dropped because nobody waited for them any more (timed out or cancelled)")
			.baseUnit("responses")
			.tag("client", binding.client)
			.register(registry);
		if (requestTimers) {
			// with observations on, they record anet.broker.requests instead (either, never both)
			binding.brokerSuccess = binding.brokerRequests(RequestOutcome.SUCCESS, NO_EXCEPTION);
		}
	}

	private void bindServer(MeterRegistry registry, AnetServer server, Binding binding) {
		Gauge.builder("anet.server.connections.active", server, AnetServer::activeConnections)
			.description("Open connections to the anet server")
			.baseUnit(BaseUnits.CONNECTIONS)
			.register(registry);
		Gauge.builder("anet.server.requests.pending", server, AnetServer::pendingAsync)
			.description("Requests whose answer comes later (an asynchronous handler) and is still to come")
			.baseUnit("requests")
			.register(registry);
		binding.connectionsRejected = Counter.builder("anet.server.connections.rejected")
			.description("Connections refused because max-conns connections were open")
			.baseUnit(BaseUnits.CONNECTIONS)
			.register(registry);
		binding.invalidFrames = Counter.builder("anet.server.frames.invalid")
			.description("Frames with a length under 4 (no task id); each closed its connection")
			.baseUnit("frames")
			.register(registry);
	}

	/** The success and failure timers of one side. */
	private static Timer[] tlsTimers(MeterRegistry registry, TlsSide side) {
		Timer[] timers = new Timer[2];
		String[] outcomes = { "success", "failure" };
		for (int i = 0; i < 2; i++) {
			timers[i] = Timer.builder("anet.tls.handshakes")
				.description("TLS handshakes, from the first message to the end (client: part of the dial)")
				.tag("side", side.tag())
				.tag("outcome", outcomes[i])
				.register(registry);
		}
		return timers;
	}

	@Override
	public void tlsHandshake(TlsSide side, InetSocketAddress peer, long nanos, @Nullable Throwable failure) {
		for (Binding binding : this.bindings) {
			Timer[] timers = binding.tlsHandshakes[side.ordinal()];
			if (timers != null) {
				timers[(failure == null) ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
			}
		}
	}

	@Override
	public void connectionCreated(InetSocketAddress address) {
		for (Binding binding : this.bindings) {
			binding.pool(address).created.increment();
		}
	}

	@Override
	public void connectionClosed(InetSocketAddress address) {
		for (Binding binding : this.bindings) {
			binding.pool(address).closed.increment();
		}
	}

	@Override
	public void connectionAcquired(InetSocketAddress address, long nanos) {
		for (Binding binding : this.bindings) {
			binding.pool(address).acquire.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void requestCompleted(RequestOutcome outcome, long nanos) {
		requestCompleted(outcome, null, nanos);
	}

	@Override
	public void requestCompleted(RequestOutcome outcome, @Nullable Throwable failure, long nanos) {
		for (Binding binding : this.bindings) {
			Timer success = binding.brokerSuccess;
			if (success == null) {
				continue;
			}
			Timer timer = (outcome == RequestOutcome.SUCCESS && failure == null) ? success
					: binding.brokerRequests(outcome, (failure != null) ? failure.getClass().getSimpleName() : NO_EXCEPTION);
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void dialFailed(InetSocketAddress address, Throwable cause) {
		for (Binding binding : this.bindings) {
			binding.dialFailures(address, cause.getClass().getSimpleName()).increment();
		}
	}

	@Override
	public void connectionRejected(SocketAddress remoteAddress) {
		for (Binding binding : this.bindings) {
			Counter counter = binding.connectionsRejected;
			if (counter != null) {
				counter.increment();
			}
		}
	}

	@Override
	public void invalidFrame(ServerConnection connection, int length) {
		for (Binding binding : this.bindings) {
			Counter counter = binding.invalidFrames;
			if (counter != null) {
				counter.increment();
			}
		}
	}

	@Override
	public void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome, long nanos) {
		if (!this.requestTimers || this.bindings.isEmpty()) {
			return;
		}
		String route = this.routes.apply(request);
		String routeTag = (route != null) ? route : NO_ROUTE;
		String outcomeTag = (route != null) ? outcome(outcome) : UNROUTED;
		for (Binding binding : this.bindings) {
			// only the binding of the server's own meters (a named client's AnetMetrics is a
			// ServerListener bean too, but has no server: it must not count its requests again)
			if (binding.invalidFrames != null) {
				binding.serverRequests(routeTag, outcomeTag).record(nanos, TimeUnit.NANOSECONDS);
			}
		}
	}

	private static String outcome(HandlerOutcome outcome) {
		return switch (outcome) {
			case SUCCESS -> "success";
			case ERROR -> "error";
			case NO_RESPONSE -> "no-response";
			case REJECTED -> "rejected";
			case ABANDONED -> "abandoned";
		};
	}

	/**
	 * The meters of one registry that events update.
	 */
	private static final class Binding {

		private final MeterRegistry registry;

		private final @Nullable PoolGroup group;

		private final String client;

		private final Map<InetSocketAddress, PoolMeters> pools = new ConcurrentHashMap<>();

		private final Map<String, Timer> serverRequests = new ConcurrentHashMap<>();

		private final Map<String, Timer> brokerRequests = new ConcurrentHashMap<>();

		private final Map<String, Counter> dialFailures = new ConcurrentHashMap<>();

		private volatile @Nullable Timer brokerSuccess;

		private @Nullable Counter connectionsRejected;

		private @Nullable Counter invalidFrames;

		/** By {@link TlsSide}: success and failure timers, or {@code null} where TLS is off. */
		private final Timer @Nullable [][] tlsHandshakes = new Timer[2][];

		Binding(MeterRegistry registry, @Nullable PoolGroup group, String client) {
			this.registry = registry;
			this.group = group;
			this.client = client;
		}

		PoolMeters pool(InetSocketAddress address) {
			PoolMeters meters = this.pools.get(address);
			return (meters != null) ? meters : this.pools.computeIfAbsent(address, this::bindPool);
		}

		private PoolMeters bindPool(InetSocketAddress address) {
			if (this.group != null) {
				for (ConnectionPool pool : this.group.pools()) {
					if (pool.address().equals(address)) {
						AnetMetrics.bindPool(this.registry, pool, this.client);
					}
				}
			}
			return new PoolMeters(this.registry, Addresses.format(address), this.client);
		}

		Timer brokerRequests(RequestOutcome outcome, String exception) {
			String outcomeTag = BROKER_OUTCOMES[outcome.ordinal()];
			return this.brokerRequests.computeIfAbsent(outcomeTag + '\0' + exception, (key) -> Timer
				.builder("anet.broker.requests")
				.description("Broker requests, from the call to the answer or the failure")
				.tag("outcome", outcomeTag)
				.tag("exception", exception)
				.tag("client", this.client)
				.register(this.registry));
		}

		Counter dialFailures(InetSocketAddress address, String exception) {
			String addressTag = Addresses.format(address);
			return this.dialFailures.computeIfAbsent(addressTag + '\0' + exception, (key) -> Counter
				.builder("anet.pool.dials.failed")
				.description("Dials that failed; each puts the address in its failover back-off")
				.baseUnit("dials")
				.tag("address", addressTag)
				.tag("exception", exception)
				.tag("client", this.client)
				.register(this.registry));
		}

		Timer serverRequests(String route, String outcome) {
			return this.serverRequests.computeIfAbsent(route + '\0' + outcome, (key) -> Timer
				.builder("anet.server.requests")
				.description("Requests handled by the anet server, from the frame's arrival to the answer being queued")
				.tag("route", route)
				.tag("outcome", outcome)
				.register(this.registry));
		}

	}

	/**
	 * The event meters of one address.
	 */
	private static final class PoolMeters {

		private final Counter created;

		private final Counter closed;

		private final Timer acquire;

		PoolMeters(MeterRegistry registry, String address, String client) {
			this.created = Counter.builder("anet.pool.connections.created")
				.description("Connections dialled and added to the pool")
				.baseUnit(BaseUnits.CONNECTIONS)
				.tag("address", address)
				.tag("client", client)
				.register(registry);
			this.closed = Counter.builder("anet.pool.connections.closed")
				.description("Connections of the pool closed")
				.baseUnit(BaseUnits.CONNECTIONS)
				.tag("address", address)
				.tag("client", client)
				.register(registry);
			this.acquire = Timer.builder("anet.pool.connections.acquire")
				.description("Time to acquire a connection: every acquire, an idle one taken at once, a dial or a wait")
				.tag("address", address)
				.tag("client", client)
				.register(registry);
		}

	}

}
