package dev.anet.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the handlers that connection readers run themselves (each connection's
 * {@link InlineRole}, seen as a {@link Watched}): one that waits
 * (parked, sleeping, blocked on a lock) longer than {@value #TAKEOVER_MILLIS} ms, or runs longer
 * than {@value #RUNNABLE_TAKEOVER_MILLIS} ms, loses the reader role to a new reader thread, so a
 * slow handler holds up the other requests of its connection for about that long at most, and the
 * connection goes back to handing its requests to the handler threads. A handler in blocking socket
 * I/O looks running to Java, as does a reader that is merely preempted on a busy machine: hence
 * the longer bound for those. (On a virtual reader, blocking socket I/O parks the thread, so it
 * counts as waiting; the new reader is a virtual thread too.)
 *
 * <p>
 * It watches only the connections whose readers started a handler in the last
 * {@value #IDLE_MILLIS} ms, so its cost follows the busy connections, not the open ones. It ticks
 * every {@value #TICK_MILLIS} ms on the server's scheduler while it watches any, and stops ticking
 * when it watches none; a reader that starts a handler arms it again.
 */
final class InlineMonitor implements Runnable {

	static final long TICK_MILLIS = 1;

	static final long TAKEOVER_MILLIS = 1;

	/** How long a handler that Java sees running (computing, in blocking I/O, or only preempted) may keep the reader. */
	static final long RUNNABLE_TAKEOVER_MILLIS = 10;

	static final long IDLE_MILLIS = 100;

	private static final long TAKEOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(TAKEOVER_MILLIS);

	private static final long RUNNABLE_TAKEOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(RUNNABLE_TAKEOVER_MILLIS);

	private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);

	private static final Logger logger = LoggerFactory.getLogger(InlineMonitor.class);

	private final ScheduledExecutorService scheduler;

	private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean armed = new AtomicBoolean();

	InlineMonitor(ScheduledExecutorService scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Watch a connection whose reader starts a handler. Called once until the monitor lets it go
	 * ({@link Watched#unwatched()}).
	 * @param role the connection's inline role
	 */
	void watch(Watched role) {
		this.watched.add(role);
	}

	/**
	 * Make sure the monitor ticks. Called by a reader after it marked a handler as running.
	 */
	void arm() {
		if (!this.armed.get() && this.armed.compareAndSet(false, true)) {
			schedule();
		}
	}

	/**
	 * Return how many connections the monitor watches.
	 * @return the count
	 */
	int watching() {
		return this.watched.size();
	}

	@Override
	public void run() {
		try {
			long now = System.nanoTime();
			for (Watched role : this.watched) {
				if (!check(role, now) && !role.running()) {
					this.watched.remove(role);
					if (role.unwatched()) {
						this.watched.add(role);
					}
				}
			}
		}
		catch (Throwable ex) {
			logger.error("anet server inline-handler check failed", ex);
		}
		if (!this.watched.isEmpty()) {
			schedule();
			return;
		}
		this.armed.set(false);
		// a reader that started watching just now may have seen the monitor armed
		if (!this.watched.isEmpty() && this.armed.compareAndSet(false, true)) {
			schedule();
		}
	}

	private static boolean check(Watched role, long now) {
		try {
			return role.check(now, TAKEOVER_NANOS, RUNNABLE_TAKEOVER_NANOS, IDLE_NANOS);
		}
		catch (RuntimeException ex) {
			logger.warn("anet server could not check the reader of {}", role, ex);
			return false;
		}
	}

	private void schedule() {
		try {
			this.scheduler.schedule(this, TICK_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the server stops
			this.armed.set(false);
		}
	}

	/**
	 * A connection's reader as the monitor watches it.
	 */
	interface Watched {

		/**
		 * Hand the reader role to a new thread if the reader's handler runs too long.
		 * @param now {@link System#nanoTime()}
		 * @param takeoverNanos the longest a reader may wait in a handler (parked, sleeping, blocked)
		 * @param runnableTakeoverNanos the longest a reader may run a handler that Java sees
		 * running: longer, because a reader that is only preempted on a busy machine looks the same
		 * @param recentNanos how far back a started handler counts as recent
		 * @return whether the reader ran a handler recently (the monitor keeps watching)
		 */
		boolean check(long now, long takeoverNanos, long runnableTakeoverNanos, long recentNanos);

		/**
		 * Return whether the reader runs a handler now.
		 * @return whether
		 */
		boolean running();

		/**
		 * The monitor stopped watching. If the reader started a handler meanwhile, the monitor
		 * must watch it again.
		 * @return whether to watch it again
		 */
		boolean unwatched();

	}

}
