package dev.anet.server;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the handlers that connection readers run themselves ({@link Connection}): one that waits
 * (parked, sleeping, blocked on a lock) longer than {@value #TAKEOVER_MILLIS} ms, or runs longer
 * than {@value #RUNNABLE_TAKEOVER_MILLIS} ms, loses the reader role to a new reader thread, so a
 * slow handler holds up the other requests of its connection for about that long at most, and the
 * connection goes back to handing its requests to the handler threads. A handler in blocking socket
 * I/O looks running to Java, as does a reader that is merely preempted on a busy machine: hence
 * the longer bound for those.
 *
 * <p>It runs on the server's scheduler every {@value #TICK_MILLIS} ms while readers run handlers,
 * and stops ticking after {@value #IDLE_MILLIS} ms without any; a reader that starts a handler
 * arms it again.
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

	private final Iterable<Connection> connections;

	private final ScheduledExecutorService scheduler;

	private final AtomicBoolean armed = new AtomicBoolean();

	InlineMonitor(Iterable<Connection> connections, ScheduledExecutorService scheduler) {
		this.connections = connections;
		this.scheduler = scheduler;
	}

	/**
	 * Make sure the monitor ticks. Called by a reader after it marked a handler as running inline.
	 */
	void arm() {
		if (!this.armed.get() && this.armed.compareAndSet(false, true)) {
			schedule();
		}
	}

	@Override
	public void run() {
		boolean active = false;
		try {
			long now = System.nanoTime();
			for (Connection connection : this.connections) {
				try {
					active |= connection.checkInline(now, TAKEOVER_NANOS, RUNNABLE_TAKEOVER_NANOS, IDLE_NANOS);
				}
				catch (RuntimeException ex) {
					logger.warn("anet server could not check the reader of connection {}", connection.remoteAddress(), ex);
				}
			}
		}
		catch (Throwable ex) {
			logger.error("anet server inline-handler check failed", ex);
		}
		if (active) {
			schedule();
			return;
		}
		this.armed.set(false);
		// a reader that started a handler just now may have seen the monitor armed: look once more
		for (Connection connection : this.connections) {
			if (connection.runningInline() && this.armed.compareAndSet(false, true)) {
				schedule();
				return;
			}
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

}
