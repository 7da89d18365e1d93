package dev.anet.server;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer of a server: every tick it looks at each connection and closes the ones past a
 * timeout (closing the channel wakes their blocked reader or writer).
 *
 * <ul>
 * <li>{@code readTimeout}: the first bytes of a frame arrived, the rest did not come in time
 * (slowloris);</li>
 * <li>{@code writeTimeout}: one write of answers has been blocked too long (the peer does not
 * read);</li>
 * <li>{@code idleTimeout}: nothing read or written for that long while no request of the
 * connection runs or waits to be written.</li>
 * </ul>
 *
 * A zero timeout is not checked. The tick is a quarter of the shortest timeout, between 10 ms and 1
 * s, so a connection is closed at most a tick after its deadline. Each tick catches and logs every
 * failure, so one bad tick never stops the next.
 */
final class Watchdog implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Watchdog.class);

	private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Iterable<Connection> connections;

	private final long readTimeoutNanos;

	private final long writeTimeoutNanos;

	private final long idleTimeoutNanos;

	Watchdog(Iterable<Connection> connections, ServerConfig config) {
		this.connections = connections;
		this.readTimeoutNanos = config.readTimeout().toNanos();
		this.writeTimeoutNanos = config.writeTimeout().toNanos();
		this.idleTimeoutNanos = config.idleTimeout().toNanos();
	}

	/**
	 * Schedule the watchdog, if any timeout is on.
	 * @param scheduler the scheduler
	 * @return whether it was scheduled
	 */
	boolean scheduleOn(ScheduledExecutorService scheduler) {
		long tick = tickNanos();
		if (tick == 0) {
			return false;
		}
		scheduler.scheduleWithFixedDelay(this, tick, tick, TimeUnit.NANOSECONDS);
		return true;
	}

	/**
	 * Return the tick: a quarter of the shortest timeout that is on, between 10 ms and 1 s.
	 * @return the tick in nanoseconds, or 0 when every timeout is off
	 */
	long tickNanos() {
		long shortest = Long.MAX_VALUE;
		for (long timeout : new long[] { this.readTimeoutNanos, this.writeTimeoutNanos, this.idleTimeoutNanos }) {
			if (timeout > 0) {
				shortest = Math.min(shortest, timeout);
			}
		}
		if (shortest == Long.MAX_VALUE) {
			return 0;
		}
		return Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, shortest / 4));
	}

	@Override
	public void run() {
		try {
			long now = System.nanoTime();
			for (Connection connection : this.connections) {
				try {
					check(connection, now);
				}
				catch (RuntimeException ex) {
					logger.warn("anet server watchdog failed to check connection {}", connection.remoteAddress(), ex);
				}
			}
		}
		catch (Throwable ex) {
			logger.error("anet server watchdog tick failed", ex);
		}
	}

	/**
	 * Close the connection if it is past a timeout.
	 * @param connection the connection
	 * @param now the current {@link System#nanoTime()}
	 * @return the timeout that closed it, or {@code null}
	 */
	@Nullable String check(Connection connection, long now) {
		if (connection.isClosed()) {
			return null;
		}
		if (this.readTimeoutNanos > 0 && isPast(connection.partialFrameSince(), now, this.readTimeoutNanos)) {
			logger.warn("Closing anet connection from {}: the rest of a frame did not arrive within {} ms (readTimeout)",
					connection.remoteAddress(), millis(this.readTimeoutNanos));
			connection.close();
			return "readTimeout";
		}
		if (this.writeTimeoutNanos > 0 && isPast(connection.writeStarted(), now, this.writeTimeoutNanos)) {
			logger.warn("Closing anet connection to {}: a write of answers was blocked for more than {} ms "
					+ "(writeTimeout); the peer does not read", connection.remoteAddress(),
					millis(this.writeTimeoutNanos));
			connection.close();
			return "writeTimeout";
		}
		if (this.idleTimeoutNanos > 0 && connection.inFlight() == 0
				&& isPast(connection.lastActivity(), now, this.idleTimeoutNanos)) {
			logger.debug("Closing anet connection from {}: idle for {} ms (idleTimeout)", connection.remoteAddress(),
					millis(this.idleTimeoutNanos));
			connection.close();
			return "idleTimeout";
		}
		return null;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	private static boolean isPast(long since, long now, long timeoutNanos) {
		return since != Connection.NONE && now - since >= timeoutNanos;
	}

}
