package dev.anet.pool;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger logger = LoggerFactory.getLogger(ConnectionPool.class);

	static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final InetSocketAddress address;

	private final String name;

	private final PoolConfig config;

	private final PoolListener listener;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	private final ArrayDeque<AnetConnection> idle = new ArrayDeque<>();

	private final Set<AnetConnection> all = new HashSet<>();

	/** Open connections plus dials in progress. */
	private int total;

	private int waiting;

	private boolean closed;

	private int consecutiveFailures;

	private volatile long downUntilNanos;

	private volatile @Nullable Throwable lastError;

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
			connection = dialReserved();
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
			connection = dialReserved();
		}
		this.listener.connectionAcquired(this.address, System.nanoTime() - start);
		return connection;
	}

	/**
	 * Acquire an idle connection if there is one, without dialling or waiting.
	 * @return a connection or {@code null}
	 */
	public @Nullable AnetConnection pollIdleConnection() {
		this.lock.lock();
		try {
			return this.closed ? null : pollIdle();
		}
		finally {
			this.lock.unlock();
		}
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
	private void giveBack(AnetConnection connection, long idleSinceNanos) {
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
	 * Close a connection and forget it, whatever its state (idle, handed out or kept back).
	 * @param connection a connection of this pool
	 */
	public void release(AnetConnection connection) {
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
		List<AnetConnection> toClose;
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			toClose = new ArrayList<>(this.all);
			for (AnetConnection connection : toClose) {
				connection.state = AnetConnection.GONE;
			}
			this.all.clear();
			this.idle.clear();
			this.total -= toClose.size();
			this.available.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		for (AnetConnection connection : toClose) {
			connection.close();
		}
	}

	/**
	 * Housekeeping: drop failed connections, close those idle longer than {@code idleTimeout}, and
	 * check the rest with the validation strategy. Called by the group's housekeeper.
	 */
	void housekeep() {
		long now = System.nanoTime();
		long idleTimeout = this.config.idleTimeout().toNanos();
		List<AnetConnection> toClose = new ArrayList<>();
		List<AnetConnection> toValidate = new ArrayList<>();
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			for (AnetConnection connection : new ArrayList<>(this.idle)) {
				boolean expired = idleTimeout > 0 && !connection.busy() && now - connection.idleSinceNanos > idleTimeout;
				if (!connection.isUsable() || expired) {
					this.idle.remove(connection);
					forget(connection);
					toClose.add(connection);
				}
				else if (connection.tenant() == null
						&& this.config.validationStrategy() != ValidationStrategy.NONE) {
					toValidate.add(connection);
				}
			}
			for (AnetConnection connection : this.all) {
				if (connection.state == AnetConnection.PARKED && !connection.isUsable()) {
					toClose.add(connection);
				}
			}
			for (AnetConnection connection : toClose) {
				if (connection.state == AnetConnection.PARKED) {
					forget(connection);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		for (AnetConnection connection : toClose) {
			logger.debug("Closing {} connection {}", connection.isUsable() ? "idle" : "failed", connection);
			connection.close();
		}
		for (AnetConnection connection : toValidate) {
			validateIdle(connection);
		}
	}

	/**
	 * Take one idle connection out of the idle set, check it, and give it back or close it. One at a
	 * time, so that a READ check's wait keeps only the connection it checks from callers.
	 */
	private void validateIdle(AnetConnection connection) {
		long idleSince;
		this.lock.lock();
		try {
			// since the pass began it may have been handed out, dropped, or the pool closed
			if (this.closed || connection.state != AnetConnection.IDLE || !this.idle.remove(connection)) {
				return;
			}
			connection.state = AnetConnection.ACTIVE;
			idleSince = connection.idleSinceNanos;
		}
		finally {
			this.lock.unlock();
		}
		if (validate(connection)) {
			// validation is not use: the connection stays idle since it was last put back
			giveBack(connection, idleSince);
		}
		else {
			logger.debug("Connection {} failed validation; closing it", connection);
			release(connection);
		}
	}

	/**
	 * Check a connection up to {@code maxValidationAttempts} times: a check that failed with an
	 * error is tried again, but end of stream or unexpected bytes settle it at once (a retry would
	 * only find the stream past the byte the first check consumed).
	 */
	private boolean validate(AnetConnection connection) {
		for (int attempt = 0; attempt < this.config.maxValidationAttempts(); attempt++) {
			AnetConnection.Probe result = connection.probe(this.config.validationStrategy(),
					this.config.validationTimeout());
			if (result != AnetConnection.Probe.FAILED) {
				return result == AnetConnection.Probe.HEALTHY;
			}
			if (!connection.isUsable()) {
				return false;
			}
		}
		return false;
	}

	void connectionClosed(AnetConnection connection) {
		this.listener.connectionClosed(this.address);
	}

	private AnetConnection dialReserved() {
		SocketChannel channel;
		try {
			channel = Dialer.dial(this.address, this.config);
		}
		catch (ClosedByInterruptException ex) {
			// the caller was interrupted (its interrupt flag stays set): the address did not fail
			dialAbandoned();
			throw new AnetException("Interrupted while dialling " + this.name, ex);
		}
		catch (IOException | RuntimeException ex) {
			dialFailed(ex);
			throw new DialException(this.address, this.config.dialTimeout().toMillis(), ex);
		}
		AnetConnection connection = new AnetConnection(channel, this);
		boolean lateClose;
		this.lock.lock();
		try {
			lateClose = this.closed;
			if (!lateClose) {
				this.all.add(connection);
				this.consecutiveFailures = 0;
				this.downUntilNanos = 0;
			}
			else {
				this.total--;
				connection.state = AnetConnection.GONE;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.listener.connectionCreated(this.address);
		if (lateClose) {
			connection.close();
			throw new PoolClosedException("Pool " + this.name + " was closed while dialling");
		}
		return connection;
	}

	/** Give back the place of a dial that was abandoned, without counting it as a failure. */
	private void dialAbandoned() {
		this.lock.lock();
		try {
			this.total--;
			this.available.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void dialFailed(Exception ex) {
		this.lock.lock();
		try {
			this.total--;
			this.lastError = ex;
			this.consecutiveFailures++;
			int shift = Math.min(this.consecutiveFailures - 1, 20);
			long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << shift);
			this.downUntilNanos = System.nanoTime() + backoff;
			this.available.signal();
		}
		finally {
			this.lock.unlock();
		}
		logger.debug("Dial to {} failed ({} in a row)", this.name, this.consecutiveFailures, ex);
		this.listener.dialFailed(this.address, ex);
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
	private void forget(AnetConnection connection) {
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
