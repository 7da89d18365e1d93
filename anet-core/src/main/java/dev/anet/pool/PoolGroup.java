package dev.anet.pool;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.anet.AnetTimeoutException;
import dev.anet.internal.Checks;
import dev.anet.internal.SharedTimers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pools over several addresses, picked round-robin (or by fewest requests in flight, see
 * {@link Balancing}) with failover.
 *
 * <p>An address whose dials fail is skipped for a capped exponential back-off (100 ms doubling up
 * to 30 s); once the back-off has passed, the next request tries it again by itself, and a
 * successful dial brings it back. When every address is down, {@link #get(Duration)} fails at once
 * with {@link NoPoolsAvailableException} naming every address and the last cause.
 *
 * <p>The addresses can change at run time ({@link #updateAddresses}): new ones join, and a removed
 * one takes no new requests while its requests in flight finish (or time out at their own
 * deadlines); then its connections close. No request fails because of the change.
 *
 * <p>The housekeeper thread ({@code anet-pool-housekeeper}, one for every group of the JVM) runs each
 * group's housekeeping every {@code validationInterval}:
 * it closes connections idle for longer than {@code idleTimeout} and validates the rest.
 *
 * <p>A group made with {@link #lazy} learns its addresses when it first needs a connection (for
 * example, an address that names a port a server binds later): until then {@link #pools()} and
 * {@link #stats()} are empty and {@link #isResolved()} is false; a failed resolution fails that
 * request with {@link NoPoolsAvailableException} and is tried again by the next one.
 */
public final class PoolGroup implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(PoolGroup.class);

	/**
	 * The pools of the current addresses, replaced whole by {@link #updateAddresses}; {@code null}
	 * until a {@link #lazy} group resolves its addresses.
	 */
	private volatile @Nullable List<ConnectionPool> pools;

	private final @Nullable Supplier<List<InetSocketAddress>> resolver;

	private final PoolConfig config;

	private final PoolListener listener;

	private final AddressChooser chooser;

	private final Object updateLock = new Object();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** This group's housekeeping on the shared housekeeper thread, cancelled by {@link #close}. */
	private final @Nullable ScheduledFuture<?> housekeeper;

	/**
	 * Create a group over {@code host:port} addresses with the given configuration.
	 * @param addresses the addresses
	 * @param config the configuration
	 * @return the group
	 */
	public static PoolGroup of(List<String> addresses, PoolConfig config) {
		return new PoolGroup(addresses.stream().map(Addresses::parse).toList(), config, PoolListener.NONE);
	}

	/**
	 * Create a group.
	 * @param addresses the addresses, at least one
	 * @param config the configuration, shared by every pool
	 * @param listener the metrics listener
	 */
	public PoolGroup(List<InetSocketAddress> addresses, PoolConfig config, PoolListener listener) {
		this(addresses, config, listener, Balancing.ROUND_ROBIN);
	}

	/**
	 * Create a group.
	 * @param addresses the addresses, at least one
	 * @param config the configuration, shared by every pool
	 * @param listener the metrics listener
	 * @param balancing how the address for a connection is picked
	 */
	public PoolGroup(List<InetSocketAddress> addresses, PoolConfig config, PoolListener listener, Balancing balancing) {
		this.config = Checks.notNull("config", config);
		this.listener = Checks.notNull("listener", listener);
		this.chooser = new AddressChooser(Checks.notNull("balancing", balancing));
		this.resolver = null;
		this.pools = poolsFor(addresses, Map.of());
		this.housekeeper = config.validationInterval().isZero() ? null : startHousekeeper(config.validationInterval());
	}

	private PoolGroup(Supplier<List<InetSocketAddress>> resolver, PoolConfig config, PoolListener listener,
			Balancing balancing) {
		this.config = Checks.notNull("config", config);
		this.listener = Checks.notNull("listener", listener);
		this.chooser = new AddressChooser(Checks.notNull("balancing", balancing));
		this.resolver = Checks.notNull("addresses", resolver);
		this.housekeeper = config.validationInterval().isZero() ? null : startHousekeeper(config.validationInterval());
	}

	/**
	 * Create a group whose addresses are asked for when it first needs a connection, not now. Use
	 * it when an address is known only later, such as the port of a server that binds after the
	 * group is made. A supplier that throws, or returns no address, fails that request with
	 * {@link NoPoolsAvailableException} (its message and cause); the next request asks again.
	 * @param addresses gives the addresses, at least one; called until it succeeds once
	 * @param config the configuration, shared by every pool
	 * @param listener the metrics listener
	 * @return the group
	 */
	public static PoolGroup lazy(Supplier<List<InetSocketAddress>> addresses, PoolConfig config,
			PoolListener listener) {
		return lazy(addresses, config, listener, Balancing.ROUND_ROBIN);
	}

	/**
	 * Create a group whose addresses are asked for when it first needs a connection.
	 * @param addresses gives the addresses, at least one; called until it succeeds once
	 * @param config the configuration, shared by every pool
	 * @param listener the metrics listener
	 * @param balancing how the address for a connection is picked
	 * @return the group
	 * @see #lazy(Supplier, PoolConfig, PoolListener)
	 */
	public static PoolGroup lazy(Supplier<List<InetSocketAddress>> addresses, PoolConfig config,
			PoolListener listener, Balancing balancing) {
		return new PoolGroup(addresses, config, listener, balancing);
	}

	/** The pools, resolving the addresses of a lazy group first. */
	private List<ConnectionPool> resolved() {
		List<ConnectionPool> pools = this.pools;
		return (pools != null) ? pools : resolve();
	}

	private List<ConnectionPool> resolve() {
		synchronized (this.updateLock) {
			List<ConnectionPool> pools = this.pools;
			if (pools != null) {
				return pools;
			}
			ensureOpen();
			Supplier<List<InetSocketAddress>> resolver = Checks.notNull("resolver", this.resolver);
			List<InetSocketAddress> addresses;
			try {
				addresses = resolver.get();
			}
			catch (RuntimeException ex) {
				throw new NoPoolsAvailableException(
						"No anet address is available: the addresses could not be resolved: " + ex.getMessage(), ex);
			}
			if (addresses == null || addresses.isEmpty()) {
				throw new NoPoolsAvailableException(
						"No anet address is available: the addresses resolved to none but must name at least one host:port",
						null);
			}
			pools = poolsFor(addresses, Map.of());
			this.pools = pools;
			logger.debug("Resolved anet addresses {}", addresses);
			return pools;
		}
	}

	/**
	 * Return whether the addresses are known: always for a group made with addresses, after the
	 * first successful resolution (or {@link #updateAddresses}) for a {@link #lazy} one.
	 * @return whether resolved
	 */
	public boolean isResolved() {
		return this.pools != null;
	}

	private ScheduledFuture<?> startHousekeeper(Duration interval) {
		long millis = Math.max(1, interval.toMillis());
		// one housekeeper thread for every pool group of the JVM
		return SharedTimers.housekeeper().scheduleWithFixedDelay(this::housekeep, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Run the housekeeping of every pool now. The housekeeper calls this every
	 * {@code validationInterval}; it never throws.
	 */
	public void housekeep() {
		for (ConnectionPool pool : pools()) {
			try {
				pool.housekeep();
			}
			catch (Throwable ex) {
				logger.warn("Housekeeping of pool {} failed", pool, ex);
			}
		}
	}

	/**
	 * The pools for a new address list: those of addresses already known are kept.
	 */
	private List<ConnectionPool> poolsFor(List<InetSocketAddress> addresses, Map<InetSocketAddress, ConnectionPool> known) {
		Checks.notNull("addresses", addresses);
		if (addresses.isEmpty()) {
			throw new IllegalArgumentException("addresses must name at least one host:port but was empty");
		}
		List<ConnectionPool> list = new ArrayList<>(addresses.size());
		for (InetSocketAddress address : new LinkedHashSet<>(addresses)) {
			ConnectionPool pool = known.get(address);
			list.add((pool != null) ? pool : new ConnectionPool(address, this.config, this.listener));
		}
		return List.copyOf(list);
	}

	/**
	 * Change the addresses. A new address joins at once; an address that is no longer listed takes
	 * no new requests, and its connections close as soon as nothing is in flight on them (the
	 * requests in flight finish, or time out at their own deadlines). Addresses in both lists keep
	 * their pools and connections. No request fails because of the change.
	 * @param addresses the new addresses, at least one
	 * @throws PoolClosedException if the group is closed
	 */
	public void updateAddresses(List<InetSocketAddress> addresses) {
		List<ConnectionPool> removed;
		List<ConnectionPool> added;
		synchronized (this.updateLock) {
			ensureOpen();
			List<ConnectionPool> before = pools();
			Map<InetSocketAddress, ConnectionPool> known = before.stream()
				.collect(Collectors.toMap(ConnectionPool::address, Function.identity()));
			List<ConnectionPool> after = poolsFor(addresses, known);
			this.pools = after;
			removed = before.stream().filter((pool) -> !after.contains(pool)).toList();
			added = after.stream().filter((pool) -> !before.contains(pool)).toList();
		}
		if (!removed.isEmpty() || !added.isEmpty()) {
			logger.info("anet addresses changed to {} (added {}, removed {})", addresses(),
					added.stream().map((p) -> p.name).toList(), removed.stream().map((p) -> p.name).toList());
		}
		for (ConnectionPool pool : removed) {
			pool.drain();
		}
	}

	/**
	 * Return the current addresses, as {@code host:port}.
	 * @return the addresses
	 */
	public List<String> addresses() {
		return pools().stream().map((pool) -> pool.name).toList();
	}

	/**
	 * Return the pools, in address order; empty while a {@link #lazy} group is not resolved.
	 * @return the pools
	 */
	public List<ConnectionPool> pools() {
		List<ConnectionPool> pools = this.pools;
		return (pools != null) ? pools : List.of();
	}

	public Balancing balancing() {
		return this.chooser.balancing();
	}

	public PoolConfig config() {
		return this.config;
	}

	/**
	 * Acquire a connection from the next address that is up, waiting at most {@code dialTimeout}.
	 * @return a connection
	 * @see #get(Duration)
	 */
	public AnetConnection get() {
		return get(this.config.dialTimeout());
	}

	/**
	 * Acquire a connection: round-robin over the addresses that are up, first one that has an idle
	 * connection or room to dial; when all are busy, wait on the next one until the deadline.
	 * @param timeout how long to wait at most
	 * @return a connection, to be given back with {@link #put} or {@link #release}
	 * @throws NoPoolsAvailableException if every address is down
	 * @throws AnetTimeoutException if no connection came free in time
	 * @throws PoolClosedException if the group is closed
	 */
	public AnetConnection get(Duration timeout) {
		// wraps for a timeout near Long.MAX_VALUE; the difference below is still right
		long deadline = System.nanoTime() + ConnectionPool.nanos(timeout);
		while (true) {
			AnetConnection connection = acquire(false);
			if (connection != null) {
				return connection;
			}
			ConnectionPool pool = nextUp();
			try {
				return pool.get(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			}
			catch (PoolClosedException ex) {
				// its address was removed while we waited: try the others, within the same deadline
				ensureOpen();
			}
		}
	}

	/**
	 * Acquire a connection without waiting for a busy one.
	 * @param idleOnly whether to take only an idle connection (no dial)
	 * @return a connection, or {@code null} if every pool that is up is busy and full
	 * @throws NoPoolsAvailableException if every address is down
	 * @throws PoolClosedException if the group is closed
	 */
	public @Nullable AnetConnection acquire(boolean idleOnly) {
		ensureOpen();
		List<ConnectionPool> pools = resolved();
		int size = pools.size();
		int start = this.chooser.start(pools);
		long now = System.nanoTime();
		boolean anyUp = false;
		for (int i = 0; i < size; i++) {
			ConnectionPool pool = pools.get((start + i) % size);
			if (pool.isDown(now)) {
				continue;
			}
			anyUp = true;
			try {
				AnetConnection connection = idleOnly ? pool.pollIdleConnection() : pool.tryGet();
				if (connection != null) {
					return connection;
				}
			}
			catch (DialException ex) {
				logger.debug("Skipping {}: {}", pool, ex.getMessage());
			}
			catch (PoolClosedException ex) {
				// its address was removed meanwhile
				ensureOpen();
			}
		}
		if (!anyUp || (!idleOnly && allDown(pools))) {
			throw noneAvailable();
		}
		return null;
	}

	private ConnectionPool nextUp() {
		List<ConnectionPool> pools = resolved();
		int size = pools.size();
		int start = this.chooser.start(pools);
		long now = System.nanoTime();
		for (int i = 0; i < size; i++) {
			ConnectionPool pool = pools.get((start + i) % size);
			if (!pool.isDown(now)) {
				return pool;
			}
		}
		throw noneAvailable();
	}

	private boolean allDown(List<ConnectionPool> pools) {
		long now = System.nanoTime();
		for (ConnectionPool pool : pools) {
			if (!pool.isDown(now)) {
				return false;
			}
		}
		return true;
	}

	private NoPoolsAvailableException noneAvailable() {
		ensureOpen();
		List<ConnectionPool> pools = pools();
		long now = System.nanoTime();
		StringBuilder message = new StringBuilder("No anet address is available: all ")
			.append(pools.size())
			.append(" are down [");
		Throwable last = null;
		for (int i = 0; i < pools.size(); i++) {
			ConnectionPool pool = pools.get(i);
			Throwable error = pool.lastError();
			if (error != null) {
				last = error;
			}
			message.append((i > 0) ? ", " : "")
				.append(Addresses.format(pool.address()))
				.append(" (retry in ")
				.append(TimeUnit.NANOSECONDS.toMillis(pool.backoffRemainingNanos(now)))
				.append(" ms")
				.append((error != null) ? ": " + error.getMessage() : "")
				.append(')');
		}
		message.append(']');
		return new NoPoolsAvailableException(message.toString(), last);
	}

	/**
	 * Give a connection back to its pool.
	 * @param connection the connection
	 */
	public void put(AnetConnection connection) {
		connection.pool().put(connection);
	}

	/**
	 * Close a connection and forget it.
	 * @param connection the connection
	 */
	public void release(AnetConnection connection) {
		connection.pool().release(connection);
	}

	/**
	 * Return a snapshot of every pool, in address order; empty while a {@link #lazy} group is not
	 * resolved.
	 * @return the stats
	 */
	public List<PoolStats> stats() {
		return pools().stream().map(ConnectionPool::stats).toList();
	}

	public boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Stop the housekeeper and close every pool. Idempotent.
	 */
	@Override
	public void close() {
		List<ConnectionPool> pools;
		synchronized (this.updateLock) {
			// under the update lock: an address change either sees the group closed or is closed here
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			pools = pools();
		}
		if (this.housekeeper != null) {
			this.housekeeper.cancel(false);
		}
		for (ConnectionPool pool : pools) {
			pool.close();
		}
	}

	private void ensureOpen() {
		if (this.closed.get()) {
			throw new PoolClosedException("Pool group " + addresses() + " is closed");
		}
	}

}
