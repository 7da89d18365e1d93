package dev.anet.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the handlers of one connection may run on its reader thread (once they have been quick),
 * and the reader's hold on a handler it runs itself, which the {@link InlineMonitor} breaks when
 * the handler runs too long. The {@link Dispatcher} asks it ({@link #allowed()}, or for calls that
 * never wait {@link #free()}); every handler run tells it how long it took ({@link #handlerTook}).
 *
 * <p>
 * The quick score: +1 for a handler under {@value #QUICK_HANDLER_NANOS} ns, -{@value #SLOW_HANDLER_WEIGHT}
 * for a slower one, between 0 and twice {@value #QUICK_HANDLERS_BEFORE_INLINE}; from
 * {@value #QUICK_HANDLERS_BEFORE_INLINE} the reader runs the next handlers itself. So handlers that
 * are often slow stay on the pool and a rare outlier (often only a preempted thread on a busy
 * machine) does not send a connection back there. The score is racy on purpose: it only steers
 * where handlers run. For an {@link AsyncHandler} it is the time of the call that starts the work,
 * not the wait for the answer.
 *
 * <p>
 * The reader's hold: {@code NOT_INLINE}, {@code INLINE} while the reader runs a handler, or
 * {@code TAKEN_OVER} once the monitor gave the reader role to a new thread and the old one still
 * runs its handler. No handler runs on the reader while one that was taken over still runs.
 */
final class InlineRole implements InlineMonitor.Watched {

	/** A handler this quick may run on the reader thread. */
	static final long QUICK_HANDLER_NANOS = 50_000;

	/** The quick score from which the reader runs handlers itself. */
	static final int QUICK_HANDLERS_BEFORE_INLINE = 16;

	/** What a handler over {@link #QUICK_HANDLER_NANOS} takes off the quick score. */
	static final int SLOW_HANDLER_WEIGHT = 8;

	private static final long NONE = Long.MIN_VALUE;

	private static final int NOT_INLINE = 0;

	private static final int INLINE = 1;

	private static final int TAKEN_OVER = 2;

	private static final Logger logger = LoggerFactory.getLogger(InlineRole.class);

	/** The monitor, or {@code null} when handlers never run on readers (a configured executor). */
	private final @Nullable InlineMonitor monitor;

	private final Reader reader;

	private final AtomicInteger state = new AtomicInteger(NOT_INLINE);

	/** Whether the monitor watches this connection; set by whoever adds it to the monitor's set. */
	private final AtomicBoolean watched = new AtomicBoolean();

	/** When the reader last started a handler itself ({@link #NONE} before). */
	private volatile long started = NONE;

	private volatile int quickScore;

	/** When the last handler the reader ran itself returned; the reader's thread only. */
	private long inlineEnded;

	InlineRole(@Nullable InlineMonitor monitor, Reader reader) {
		this.monitor = monitor;
		this.reader = reader;
	}

	/**
	 * Return whether the reader may run the next handler itself: its handlers have been quick, and
	 * it is {@linkplain #free() free} to.
	 * @return whether
	 */
	boolean allowed() {
		return this.quickScore >= QUICK_HANDLERS_BEFORE_INLINE && free();
	}

	/**
	 * Return whether the reader is free to run a handler itself, however quick they were: the
	 * server watches readers (its own handler threads, pooled or virtual), and no handler of this
	 * connection runs on a reader (also not one that was taken over).
	 * @return whether
	 */
	boolean free() {
		return this.monitor != null && this.state.get() == NOT_INLINE;
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
	 * The handler the reader runs itself returned.
	 * @param endNanos when
	 */
	void inlineEnded(long endNanos) {
		this.inlineEnded = endNanos;
	}

	/**
	 * Return when the last handler the reader ran itself returned.
	 * @return a {@link System#nanoTime()} value
	 */
	long inlineEnded() {
		return this.inlineEnded;
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

	@Override
	public boolean running() {
		return this.state.get() == INLINE;
	}

	@Override
	public boolean check(long now, long takeoverNanos, long runnableTakeoverNanos, long recentNanos) {
		long start = this.started;
		if (start == NONE) {
			return false;
		}
		long running = now - start;
		if (this.state.get() == INLINE && running > takeoverNanos && !this.reader.isClosed()
				&& isTakeoverDue(running, runnableTakeoverNanos) && this.state.compareAndSet(INLINE, TAKEN_OVER)) {
			// back to the handler threads until handlers are quick again
			this.quickScore = 0;
			logger.debug("A handler of {} runs longer than {} ms on its reader; a new reader takes over", this.reader,
					TimeUnit.NANOSECONDS.toMillis(takeoverNanos));
			this.reader.takeOver();
			return true;
		}
		return running < recentNanos;
	}

	private boolean isTakeoverDue(long runningNanos, long runnableTakeoverNanos) {
		Thread thread = this.reader.thread();
		return runningNanos > runnableTakeoverNanos || thread == null || thread.getState() != Thread.State.RUNNABLE;
	}

	@Override
	public boolean unwatched() {
		this.watched.set(false);
		return running() && this.watched.compareAndSet(false, true);
	}

	@Override
	public String toString() {
		return "InlineRole[" + this.reader + "]";
	}

	/**
	 * The connection's reader as its inline role sees it.
	 */
	interface Reader {

		/**
		 * Return the thread that holds the reader role.
		 * @return the thread, or {@code null} before it started
		 */
		@Nullable Thread thread();

		/**
		 * Return whether the connection is closed.
		 * @return whether
		 */
		boolean isClosed();

		/**
		 * Start a new thread that takes over the reader role from the one whose handler runs too
		 * long.
		 */
		void takeOver();

	}

}
