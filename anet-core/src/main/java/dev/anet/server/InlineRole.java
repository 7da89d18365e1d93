package dev.anet.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the handlers of one {@link Connection} run: on its reader thread once they have been
 * quick, else on the handler threads; and the reader's hold on a handler it runs itself, which the
 * {@link InlineMonitor} breaks when the handler runs too long.
 *
 * <p>
 * The quick score: +1 for a handler under {@value #QUICK_HANDLER_NANOS} ns, -{@value #SLOW_HANDLER_WEIGHT}
 * for a slower one, between 0 and twice {@value #QUICK_HANDLERS_BEFORE_INLINE}; from
 * {@value #QUICK_HANDLERS_BEFORE_INLINE} the reader runs the next handlers itself. So handlers that
 * are often slow stay on the pool and a rare outlier (often only a preempted thread on a busy
 * machine) does not send a connection back there. The score is racy on purpose: it only steers
 * where handlers run.
 *
 * <p>
 * The reader's hold: {@code NOT_INLINE}, {@code INLINE} while the reader runs a handler, or
 * {@code TAKEN_OVER} once the monitor gave the reader role to a new thread and the old one still
 * runs its handler. No handler runs on the reader while one that was taken over still runs.
 */
final class InlineRole {

	/** A handler this quick may run on the reader thread. */
	static final long QUICK_HANDLER_NANOS = 50_000;

	/** The quick score from which the reader runs handlers itself. */
	static final int QUICK_HANDLERS_BEFORE_INLINE = 16;

	/** What a handler over {@link #QUICK_HANDLER_NANOS} takes off the quick score. */
	static final int SLOW_HANDLER_WEIGHT = 8;

	private static final int NOT_INLINE = 0;

	private static final int INLINE = 1;

	private static final int TAKEN_OVER = 2;

	private static final Logger logger = LoggerFactory.getLogger(InlineRole.class);

	private final Connection connection;

	/** The monitor, or {@code null} when handlers never run on readers (a configured executor, virtual threads). */
	private final @Nullable InlineMonitor monitor;

	private final AtomicInteger state = new AtomicInteger(NOT_INLINE);

	/** Whether the monitor watches this connection; set by whoever adds it to the monitor's set. */
	private final AtomicBoolean watched = new AtomicBoolean();

	/** When the reader last started a handler itself ({@link Connection#NONE} before). */
	private volatile long started = Connection.NONE;

	private volatile int quickScore;

	InlineRole(Connection connection, @Nullable InlineMonitor monitor) {
		this.connection = connection;
		this.monitor = monitor;
	}

	/**
	 * Return whether the reader may run the next handler itself.
	 * @return whether
	 */
	boolean allowed() {
		return this.monitor != null && this.quickScore >= QUICK_HANDLERS_BEFORE_INLINE
				&& this.state.get() == NOT_INLINE;
	}

	/**
	 * A handler of this connection ran for this long (on any thread).
	 * @param nanos how long
	 */
	void handlerTook(long nanos) {
		int score = this.quickScore;
		if (nanos <= QUICK_HANDLER_NANOS) {
			if (score < 2 * QUICK_HANDLERS_BEFORE_INLINE) {
				this.quickScore = score + 1;
			}
		}
		else if (score != 0) {
			this.quickScore = Math.max(0, score - SLOW_HANDLER_WEIGHT);
		}
	}

	/**
	 * The reader is about to run a handler itself: from now on the monitor watches it.
	 * @param startNanos when the handler starts
	 */
	void starting(long startNanos) {
		InlineMonitor monitor = this.monitor;
		if (monitor == null) {
			throw new IllegalStateException("handlers do not run on the readers of this server");
		}
		this.started = startNanos;
		this.state.set(INLINE);
		if (!this.watched.get() && this.watched.compareAndSet(false, true)) {
			monitor.watch(this);
		}
		monitor.arm();
	}

	/**
	 * The reader's handler returned.
	 * @return whether the thread still holds the reader role; if not, another thread reads now
	 * and this one only has its answer to write
	 */
	boolean finished() {
		if (this.state.compareAndSet(INLINE, NOT_INLINE)) {
			return true;
		}
		this.state.set(NOT_INLINE);
		return false;
	}

	/**
	 * Return whether the reader runs a handler now.
	 * @return whether
	 */
	boolean running() {
		return this.state.get() == INLINE;
	}

	/**
	 * Called by the {@link InlineMonitor} on every tick: hand the reader role to a new thread if the
	 * reader's handler runs too long.
	 * @param now {@link System#nanoTime()}
	 * @param takeoverNanos the longest a reader may wait in a handler (parked, sleeping, blocked)
	 * @param runnableTakeoverNanos the longest a reader may run a handler that Java sees running:
	 * longer, because a reader that is only preempted on a busy machine looks the same
	 * @param recentNanos how far back a started handler counts as recent
	 * @return whether the reader ran a handler recently (the monitor keeps watching)
	 */
	boolean check(long now, long takeoverNanos, long runnableTakeoverNanos, long recentNanos) {
		long start = this.started;
		if (start == Connection.NONE) {
			return false;
		}
		long running = now - start;
		if (this.state.get() == INLINE && running > takeoverNanos && !this.connection.isClosed()
				&& isTakeoverDue(running, runnableTakeoverNanos) && this.state.compareAndSet(INLINE, TAKEN_OVER)) {
			// back to the handler threads until handlers are quick again
			this.quickScore = 0;
			logger.debug("A handler of anet connection {} runs longer than {} ms on its reader; a new reader takes over",
					this.connection.remoteAddress(), TimeUnit.NANOSECONDS.toMillis(takeoverNanos));
			this.connection.reader().startNewThread();
			return true;
		}
		return running < recentNanos;
	}

	private boolean isTakeoverDue(long runningNanos, long runnableTakeoverNanos) {
		Thread reader = this.connection.reader().thread();
		return runningNanos > runnableTakeoverNanos || reader == null || reader.getState() != Thread.State.RUNNABLE;
	}

	/**
	 * The monitor stopped watching this connection. If its reader started a handler meanwhile, the
	 * caller must watch it again.
	 * @return whether to watch it again (this call then marked it watched)
	 */
	boolean unwatched() {
		this.watched.set(false);
		return running() && this.watched.compareAndSet(false, true);
	}

	Connection connection() {
		return this.connection;
	}

}
