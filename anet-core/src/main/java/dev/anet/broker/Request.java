package dev.anet.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One request through the broker, from admission to its outcome.
 *
 * <pre>
 *   QUEUED ──claim──► STAGED ──its bytes handed to the socket──► SENT ──answer/failure/timeout──► DONE
 *     ▲                 │ └──────── answer / timeout / cancel / close ─────────────────────────────┘
 *     └───unstage───────┘  (the connection failed before the request's bytes were written: requeued)
 *     └──────────────── timeout / cancel / close (never written) ────────────────────────────────► DONE
 * </pre>
 *
 * Exactly one transition to DONE wins; the winner records the outcome, wakes the waiting caller or
 * completes the future, and settles the broker's counts. Only a {@code SENT} request can be failed
 * by the loss of its connection: a {@code STAGED} one goes back to the queue instead, and a request
 * becomes {@code SENT} at most once, so none is written twice.
 */
final class Request {

	/** Waiting in the broker's queue. */
	static final int QUEUED = 0;

	/** Taken by a writer and framed into a connection's batch, not (yet known to be) written. */
	static final int STAGED = 1;

	/** Its bytes were handed to the connection's socket. */
	static final int SENT = 2;

	static final int DONE = 3;

	private static final AtomicIntegerFieldUpdater<Request> STATE = AtomicIntegerFieldUpdater
		.newUpdater(Request.class, "state");

	final Broker broker;

	final byte[] body;

	final long startNanos;

	final long deadlineNanos;

	final long timeoutNanos;

	private volatile int state = QUEUED;

	/**
	 * Whether the outcome (answer or failure) is visible: set after it and after the broker's counts,
	 * before the waiter is woken. {@link #isDone() DONE} alone is not enough for a reader of the
	 * outcome, as the thread that reached it writes the outcome only after its transition.
	 */
	private volatile boolean settled;

	/** Set by the writer before {@link #multiplexer}, read after it. */
	int taskId;

	/**
	 * The connection the request was last staged on. Volatile so that a request finished while
	 * being staged is seen either by the writer (which then drops it) or by {@link #publish} (which
	 * then removes it from that connection's table).
	 */
	volatile @Nullable Multiplexer multiplexer;

	private byte @Nullable [] response;

	private @Nullable RuntimeException error;

	/** The caller blocked in {@link Broker#send}, if any. */
	volatile @Nullable Thread waiter;

	/** The future of {@link Broker#sendAsync}, if any. */
	@Nullable RequestFuture future;

	/** Links in the {@link TimeoutWheel} slot of an async request; under that slot's monitor. */
	@Nullable Request wheelPrev;

	@Nullable Request wheelNext;

	Request(Broker broker, byte[] body, long startNanos, long timeoutNanos) {
		this.broker = broker;
		this.body = body;
		this.startNanos = startNanos;
		this.timeoutNanos = timeoutNanos;
		this.deadlineNanos = startNanos + timeoutNanos;
	}

	int state() {
		return this.state;
	}

	boolean isDone() {
		return this.state == DONE;
	}

	/**
	 * Return whether the outcome can be read ({@link #result()}): the request is done and the
	 * thread that finished it has written its answer or failure.
	 * @return whether
	 */
	boolean isSettled() {
		return this.settled;
	}

	/**
	 * Take a queued request for writing.
	 * @return whether this thread may write it (it was neither written nor finished)
	 */
	boolean claim() {
		if (STATE.compareAndSet(this, QUEUED, STAGED)) {
			this.broker.claimed();
			return true;
		}
		return false;
	}

	/**
	 * Record that the request's bytes were handed to its connection's socket.
	 * @return whether it was staged (false if it finished meanwhile, e.g. answered or timed out)
	 */
	boolean markSent() {
		return STATE.compareAndSet(this, STAGED, SENT);
	}

	/**
	 * Give a staged request back to the queue: its connection failed, or stopped taking requests,
	 * before its bytes were written.
	 * @return whether it is queued again (false if it finished meanwhile)
	 */
	boolean unstage() {
		if (STATE.compareAndSet(this, STAGED, QUEUED)) {
			this.broker.unclaimed();
			return true;
		}
		return false;
	}

	/** Answer arrived. */
	boolean succeed(byte[] answer) {
		int from = finish();
		if (from < 0) {
			return false;
		}
		this.response = answer;
		publish(from, RequestOutcome.SUCCESS);
		return true;
	}

	/** Failed, timed out, cancelled or refused after admission. */
	boolean fail(RuntimeException cause, RequestOutcome outcome) {
		int from = finish();
		if (from < 0) {
			return false;
		}
		this.error = cause;
		publish(from, outcome);
		return true;
	}

	/** @return the state left, or -1 if another thread finished the request first */
	private int finish() {
		while (true) {
			int current = this.state;
			if (current == DONE) {
				return -1;
			}
			if (STATE.compareAndSet(this, current, DONE)) {
				return current;
			}
		}
	}

	private void publish(int from, RequestOutcome outcome) {
		RequestFuture f = this.future;
		try {
			if (from != QUEUED && outcome != RequestOutcome.SUCCESS) {
				Multiplexer mux = this.multiplexer;
				if (mux != null) {
					if (outcome == RequestOutcome.TIMEOUT) {
						mux.timedOut(this);
					}
					else {
						mux.forget(this);
					}
				}
			}
			if (f != null) {
				this.broker.timeouts().cancel(this);
			}
			this.broker.settled(this, from, outcome);
		}
		finally {
			// the caller gets its outcome even if a listener threw
			this.settled = true;
			Thread thread = this.waiter;
			if (thread != null) {
				LockSupport.unpark(thread);
			}
			if (f != null) {
				if (this.error != null) {
					f.completeExceptionallyFromBroker(this.error);
				}
				else {
					f.completeFromBroker(this.response);
				}
			}
		}
	}

	/** The caller gave up on the request (cancelled or completed its future itself). */
	void abandon(String why) {
		fail(new java.util.concurrent.CancellationException("Request " + why), RequestOutcome.ERROR);
	}

	/** The failure, once {@link #isSettled()}; {@code null} on success. */
	@Nullable RuntimeException failure() {
		return this.error;
	}

	/** The outcome, once {@link #isSettled()}: the answer, or the failure thrown. */
	byte[] result() {
		RuntimeException failure = this.error;
		if (failure != null) {
			throw failure;
		}
		return this.response;
	}

	/**
	 * The future handed to callers of {@link Broker#sendAsync}: cancelling it frees the request.
	 */
	static final class RequestFuture extends CompletableFuture<byte[]> {

		private final Request request;

		RequestFuture(Request request) {
			this.request = request;
		}

		Request request() {
			return this.request;
		}

		/** Cancel: the request is freed (never written if still queued; its late answer dropped). */
		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			if (cancelled) {
				this.request.abandon("cancelled");
			}
			return cancelled;
		}

		/** Completed by someone else (e.g. {@code orTimeout}): the request is freed as on cancel. */
		@Override
		public boolean complete(byte[] value) {
			boolean completed = super.complete(value);
			if (completed) {
				this.request.abandon("completed by the caller");
			}
			return completed;
		}

		@Override
		public boolean completeExceptionally(Throwable ex) {
			boolean completed = super.completeExceptionally(ex);
			if (completed) {
				this.request.abandon("completed exceptionally by the caller");
			}
			return completed;
		}

		void completeFromBroker(byte @Nullable [] value) {
			super.complete(value);
		}

		void completeExceptionallyFromBroker(Throwable failure) {
			super.completeExceptionally(failure);
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new CompletableFuture<>();
		}

	}

}
