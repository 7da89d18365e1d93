package dev.anet.pool;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.anet.AnetException;
import dev.anet.AnetTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The connections to one address, at most {@code capacity} of them.
 *
 * <p>{@link #get(Duration)} hands out an idle connection (the most recently given back first, so
 * that few connections carry a light load and the others can reach {@code idleTimeout}), dials a
 * new one while under capacity, or
 * waits for one until the caller's deadline, never longer. {@link #put} gives a connection back,
 * {@link #release} closes and forgets it, {@link #close} closes every connection exactly once. A
 * connection whose {@link AnetConnection.Tenant} reports it saturated is kept back (counted as
 * active) until its tenant calls {@link #slotFreed}.
 *
 * <p>Dial failures put the address in a capped exponential back-off (100 ms doubling up to 30 s)
 * that a {@link PoolGroup} uses to skip it; the first successful dial ends the back-off.
 */
public final class ConnectionPool implements Closeable {

	private final InetSocketAddress address;

	final String name;

	private final PoolConfig config;

	final PoolListener listener;

	private final Dialer dialer;

	private final PoolHousekeeping housekeeping;

	// The books. The lock guards them and the condition; the Dialer and PoolHousekeeping, which see
	// the package-private ones, take this same lock around every access.

	final ReentrantLock lock = new ReentrantLock();

	final Condition available = this.lock.newCondition();

	final ArrayDeque<AnetConnection> idle = new ArrayDeque<>();

	final Set<AnetConnection> all = new HashSet<>();

	/** Open connections plus dials in progress. */
	int total;

	private int waiting;

	boolean closed;

	/** End of the dial back-off: set by the Dialer under the lock, read without it by isDown. */
	volatile long downUntilNanos;

	volatile @Nullable Throwable lastError;

	private final AnswerTime answerTime = new AnswerTime();

	/**
	 * Create a pool.
	 * @param address the address to dial
	 * @param config the configuration
	 * @param listener the metrics listener
	 */
	public ConnectionPool(InetSocketAddress address, PoolConfig config, PoolListener listener) {
		this.address = address;
		this.name = Addresses.format(address);
		this.config = config;
		this.listener = listener;
		this.dialer = new Dialer(this);
		this.housekeeping = new PoolHousekeeping(this);
	}

	public InetSocketAddress address() {
		return this.address;
	}

	public PoolConfig config() {
		return this.config;
	}

	/**
	 * Acquire a connection, waiting at most {@code dialTimeout}.
	 * @return a connection, to be given back with {@link #put} or {@link #release}
	 * @see #get(Duration)
	 */
	public AnetConnection get() {
		return get(this.config.dialTimeout());
	}

	/**
	 * Acquire a connection: an idle one, a new one while under capacity, or the next one given back
	 * before the deadline.
	 * @param timeout how long to wait at most
	 * @return a connection, to be given back with {@link #put} or {@link #release}
	 * @throws AnetTimeoutException if none is available in time (the message gives the pool state), or
	 * the caller was interrupted while waiting or dialling
	 * @throws DialException if a new connection could not be dialled
	 * @throws PoolClosedException if the pool is closed
	 */
	public AnetConnection get(Duration timeout) {
		long start = System.nanoTime();
		long remaining = nanos(timeout);
		AnetConnection connection;
		this.lock.lock();
		try {
			while (true) {
				ensureOpen();
				connection = pollIdle();
				if (connection != null) {
					break;
				}
				if (this.total < this.config.capacity()) {
					this.total++;
					connection = null;
					break;
				}
				if (remaining <= 0) {
					throw timeout(start);
				}
				this.waiting++;
				try {
					remaining = this.available.awaitNanos(remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AnetException("Interrupted while waiting for a connection to " + this.name, ex);
				}
				finally {
					this.waiting--;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (connection == null) {
			connection = this.dialer.dialReserved();
		}
		this.listener.connectionAcquired(this.address, System.nanoTime() - start);
		return connection;
	}

	/**
	 * Acquire a connection without waiting for a busy one: an idle connection, or a new one while
	 * under capacity (the dial itself may take up to {@code dialTimeout}).
	 * @return a connection, or {@code null} if every connection is in use and the pool is full
	 * @throws DialException if a new connection could not be dialled
	 * @throws PoolClosedException if the pool is closed
	 */
	public @Nullable AnetConnection tryGet() {
		long start = System.nanoTime();
		AnetConnection connection;
		this.lock.lock();
		try {
			ensureOpen();
			connection = pollIdle();
			if (connection == null) {
				if (this.total >= this.config.capacity()) {
					return null;
				}
				this.total++;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (connection == null) {
			connection = this.dialer.dialReserved();
		}
		this.listener.connectionAcquired(this.address, System.nanoTime() - start);
		return connection;
	}

	/**
	 * Acquire an idle connection if there is one, without dialling or waiting.
	 * @return a connection or {@code null}
	 */
	public @Nullable AnetConnection pollIdleConnection() {
		PoolListener listener = this.listener;
		// timed only for a listener that records: the broker's hot path
		long start = (listener != PoolListener.NONE) ? System.nanoTime() : 0;
		AnetConnection connection;
		this.lock.lock();
		try {
			connection = this.closed ? null : pollIdle();
		}
		finally {
			this.lock.unlock();
		}
		if (connection != null && listener != PoolListener.NONE) {
			listener.connectionAcquired(this.address, System.nanoTime() - start);
		}
		return connection;
	}

	/**
	 * Give a connection back. A failed or closed connection is dropped instead; a saturated one is
	 * kept back until {@link #slotFreed}.
	 * @param connection a connection acquired from this pool
	 */
	public void put(AnetConnection connection) {
		checkOwner(connection);
		giveBack(connection, System.nanoTime());
	}

	/**
	 * Give a connection back, idle since the given time.
	 * @param connection a connection of this pool
	 * @param idleSinceNanos when it became idle: now for a user's put, the time it was last put back
	 * for a connection that only went through validation
	 */
	void giveBack(AnetConnection connection, long idleSinceNanos) {
		boolean drop = false;
		this.lock.lock();
		try {
			if (connection.state != AnetConnection.ACTIVE) {
				return;
			}
			if (this.closed || !connection.isUsable()) {
				forget(connection);
				drop = true;
			}
			else {
				// park first, then look: a tenant frees a slot first, then looks for PARKED, so one
				// of the two always sees the other (no lost wake-up)
				connection.state = AnetConnection.PARKED;
				if (!connection.saturated()) {
					makeIdle(connection, idleSinceNanos);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (drop) {
			connection.close();
		}
	}

	/**
	 * Tell the pool that a saturated connection can take requests again.
	 * @param connection the connection
	 */
	public void slotFreed(AnetConnection connection) {
		this.lock.lock();
		try {
			if (connection.state == AnetConnection.PARKED && !connection.saturated() && connection.isUsable()
					&& !this.closed) {
				makeIdle(connection, System.nanoTime());
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Take a connection off the pool's books without closing it: its user (the broker, for a
	 * connection presumed half-open) goes on reading it and closes it when done. The place it held
	 * is free at once, so the next acquire may dial a replacement.
	 * @param connection a connection of this pool
	 */
	public void retire(AnetConnection connection) {
		checkOwner(connection);
		this.lock.lock();
		try {
			if (connection.state == AnetConnection.IDLE) {
				this.idle.remove(connection);
			}
			if (connection.state != AnetConnection.GONE) {
				forget(connection);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Take a {@linkplain #retire retired} connection back onto the books, if it is still usable and
	 * the pool has room for it; it becomes idle (or is kept back while saturated).
	 * @param connection a retired connection of this pool
	 * @return whether the pool took it back
	 */
	public boolean readmit(AnetConnection connection) {
		checkOwner(connection);
		this.lock.lock();
		try {
			if (this.closed || connection.state != AnetConnection.GONE || !connection.isUsable()
					|| this.total >= this.config.capacity()) {
				return false;
			}
			this.all.add(connection);
			this.total++;
			connection.state = AnetConnection.ACTIVE;
		}
		finally {
			this.lock.unlock();
		}
		giveBack(connection, System.nanoTime());
		return true;
	}

	/**
	 * Let the pool go (its address was removed from the group): take no more acquires, close the
	 * connections with nothing in flight now, and let the others finish their requests first (their
	 * tenants close them once drained). Idempotent; after it the pool is closed.
	 */
	public void drain() {
		for (AnetConnection connection : closeBooks()) {
			AnetConnection.Tenant tenant = connection.tenant();
			if (tenant != null) {
				tenant.retire();
			}
			else {
				connection.close();
			}
		}
	}

	/**
	 * Record how long an answer took, for {@link Balancing#LEAST_IN_FLIGHT}. Called by the broker's
	 * readers; cheap and lock-free.
	 * @param nowNanos {@link System#nanoTime()} when the answer arrived
	 * @param answerNanos how long it took, from the request's send
	 */
	public void answered(long nowNanos, long answerNanos) {
		this.answerTime.record(nowNanos, answerNanos);
	}

	/**
	 * Return the pool's recent answer time (a peak-sensitive moving average of the answers
	 * recorded by {@link #answered}), or 0 if none is known: no answer yet, or none in the last
	 * second.
	 * @param nowNanos {@link System#nanoTime()}
	 * @return the answer time in nanoseconds, or 0
	 */
	public long answerTimeNanos(long nowNanos) {
		return this.answerTime.current(nowNanos);
	}

	/**
	 * Return how many requests are in flight on the pool's connections.
	 * @return the count
	 */
	public int requestsInFlight() {
		this.lock.lock();
		try {
			int count = 0;
			for (AnetConnection connection : this.all) {
				count += connection.inFlight();
			}
			return count;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how long the oldest dial in progress has been running.
	 * @param nowNanos {@link System#nanoTime()}
	 * @return nanoseconds, or -1 when no dial is in progress
	 */
	public long dialInProgressNanos(long nowNanos) {
		this.lock.lock();
		try {
			return this.dialer.oldestDialNanos(nowNanos);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many of the open connections are kept back because their user reported them
	 * saturated (for the broker: at their in-flight bound).
	 * @return the count
	 */
	public int saturatedConnections() {
		this.lock.lock();
		try {
			int count = 0;
			for (AnetConnection connection : this.all) {
				if (connection.state == AnetConnection.PARKED) {
					count++;
				}
			}
			return count;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close a connection and forget it, whatever its state (idle, handed out or kept back).
	 * @param connection a connection of this pool
	 */
	public void release(AnetConnection connection) {
		retire(connection);
		connection.close();
	}

	/**
	 * Return a snapshot of the pool's state.
	 * @return the stats
	 */
	public PoolStats stats() {
		this.lock.lock();
		try {
			int idleCount = this.idle.size();
			Throwable error = this.lastError;
			return new PoolStats(this.address, this.total, this.total - idleCount, idleCount, this.waiting,
					this.config.capacity(), isDown(System.nanoTime()), (error != null) ? error.toString() : null);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the last dial or connection failure.
	 * @return the failure or {@code null}
	 */
	public @Nullable Throwable lastError() {
		return this.lastError;
	}

	/**
	 * Return whether the address is in its back-off after failed dials.
	 * @param nowNanos {@link System#nanoTime()}
	 * @return whether down
	 */
	public boolean isDown(long nowNanos) {
		return this.downUntilNanos - nowNanos > 0;
	}

	/**
	 * Return how long the back-off still lasts.
	 * @param nowNanos {@link System#nanoTime()}
	 * @return nanoseconds, 0 when the address is not down
	 */
	long backoffRemainingNanos(long nowNanos) {
		return Math.max(0, this.downUntilNanos - nowNanos);
	}

	public boolean isClosed() {
		this.lock.lock();
		try {
			return this.closed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close every connection (idle, handed out or kept back) exactly once and fail waiting callers.
	 * Idempotent.
	 */
	@Override
	public void close() {
		for (AnetConnection connection : closeBooks()) {
			connection.close();
		}
	}

	/**
	 * Mark the pool closed, wake its waiters, and take every connection off the books.
	 * @return the connections it had (none if it was closed already), for the caller to close
	 */
	private List<AnetConnection> closeBooks() {
		this.lock.lock();
		try {
			if (this.closed) {
				return List.of();
			}
			this.closed = true;
			List<AnetConnection> connections = new ArrayList<>(this.all);
			for (AnetConnection connection : connections) {
				connection.state = AnetConnection.GONE;
			}
			this.all.clear();
			this.idle.clear();
			this.total -= connections.size();
			this.available.signalAll();
			return connections;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Housekeeping: drop failed connections, close those idle longer than {@code idleTimeout}, and
	 * check the rest with the validation strategy. Called by the group's housekeeper.
	 * @see PoolHousekeeping
	 */
	void housekeep() {
		this.housekeeping.run();
	}

	void connectionClosed(AnetConnection connection) {
		this.listener.connectionClosed(this.address);
	}

	/** Poll an idle usable connection, dropping failed ones. Lock held. */
	private @Nullable AnetConnection pollIdle() {
		AnetConnection connection;
		while ((connection = this.idle.pollFirst()) != null) {
			if (connection.isUsable()) {
				connection.state = AnetConnection.ACTIVE;
				return connection;
			}
			forget(connection);
			connection.close();
		}
		return null;
	}

	/** Lock held. */
	private void makeIdle(AnetConnection connection, long idleSinceNanos) {
		connection.state = AnetConnection.IDLE;
		connection.idleSinceNanos = idleSinceNanos;
		this.idle.addFirst(connection);
		this.available.signal();
	}

	/** Remove a connection from the books. Lock held; the caller closes it. */
	void forget(AnetConnection connection) {
		connection.state = AnetConnection.GONE;
		if (this.all.remove(connection)) {
			this.total--;
		}
		Throwable failure = connection.failure();
		if (failure != null) {
			this.lastError = failure;
		}
		this.available.signal();
	}

	/**
	 * A timeout in nanoseconds, from 0 up to {@link Long#MAX_VALUE} for a duration too long to count
	 * in nanoseconds (about 292 years: in effect, no limit).
	 * @param timeout the timeout
	 * @return nanoseconds
	 */
	static long nanos(Duration timeout) {
		if (timeout.isNegative()) {
			return 0;
		}
		try {
			return timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private void ensureOpen() {
		if (this.closed) {
			throw new PoolClosedException("Pool " + this.name + " is closed");
		}
	}

	private void checkOwner(AnetConnection connection) {
		if (connection.pool() != this) {
			throw new IllegalArgumentException(connection + " does not belong to pool " + this.name);
		}
	}

	private AnetTimeoutException timeout(long startNanos) {
		long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
		int idleCount = this.idle.size();
		Throwable error = this.lastError;
		return new AnetTimeoutException("Pool " + this.name + " - connection is not available, request timed out after "
				+ waited + "ms (total=" + this.total + ", active=" + (this.total - idleCount) + ", idle=" + idleCount
				+ ", waiting=" + this.waiting + ", max=" + this.config.capacity() + ")", error);
	}

	@Override
	public String toString() {
		return "ConnectionPool[" + this.name + "]";
	}

}
