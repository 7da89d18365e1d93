package dev.anet.broker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of {@link Broker#sendAsync} requests: a hashed timing wheel of {@value #SLOTS}
 * one-millisecond slots, each a doubly linked list threaded through the requests themselves, so
 * scheduling and cancelling a deadline allocate nothing and take one slot's monitor, not a shared
 * queue's lock.
 *
 * <pre>
 *   slot = (deadline tick) mod SLOTS     tick = ceil((deadline - origin) / 1 ms)
 *   [0] ─ r ─ r      [1]      [2] ─ r   ...   [SLOTS-1]
 *          ▲ the wheel's task visits the slots of the ticks that passed and fails the requests
 *            whose tick came (a slot also holds requests of later turns of the wheel)
 * </pre>
 *
 * <p>
 * A request that is answered, fails or is cancelled leaves its slot at once ({@link #cancel}),
 * so the wheel holds only requests that still wait. A request never times out before its
 * deadline, and at most about a tick after it (later only if the timer thread is held up).
 *
 * <p>
 * The task runs on the brokers' shared timer thread (one thread, so runs never overlap) only when needed:
 * at the earliest tick that has a request in its slot, found by looking at the slots ahead after
 * each run, and earlier when a request with an earlier deadline arrives.
 */
final class TimeoutWheel implements Runnable {

	/** Slots in the wheel: one turn is about a second. */
	static final int SLOTS = 1024;

	private static final int MASK = SLOTS - 1;

	static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** No run is scheduled. */
	private static final long NOT_ARMED = Long.MAX_VALUE;

	private static final Logger logger = LoggerFactory.getLogger(TimeoutWheel.class);

	private final Broker broker;

	private final ScheduledExecutorService timer;

	private final Slot[] slots = new Slot[SLOTS];

	private final long origin = System.nanoTime();

	private final Object armLock = new Object();

	/** The tick of the next scheduled run, or {@link #NOT_ARMED}. */
	private volatile long armedTick = NOT_ARMED;

	/** Guarded by {@link #armLock}. */
	private @Nullable ScheduledFuture<?> armed;

	/** Set by {@link #stop}; guarded by {@link #armLock}. */
	private boolean stopped;

	/** The last tick whose slot was visited; timer thread only. */
	private long visitedTick;

	TimeoutWheel(Broker broker, ScheduledExecutorService timer) {
		this.broker = broker;
		this.timer = timer;
		for (int i = 0; i < SLOTS; i++) {
			this.slots[i] = new Slot();
		}
		this.visitedTick = -1;
	}

	/**
	 * Watch the deadline of a request; it times out through {@link Broker#timeOut} unless it is
	 * {@link #cancel cancelled} first.
	 * @param r the request
	 */
	void schedule(Request r) {
		long tick = tickOf(r.deadlineNanos);
		Slot slot = this.slots[(int) (tick & MASK)];
		boolean due;
		synchronized (slot) {
			// the slot was visited at or after this tick: the deadline has passed
			due = slot.visitedTick >= tick;
			if (!due) {
				Request head = slot.head;
				r.wheelNext = head;
				r.wheelPrev = null;
				if (head != null) {
					head.wheelPrev = r;
				}
				slot.head = r;
			}
		}
		if (due) {
			this.broker.timeOut(r);
		}
		else if (tick < this.armedTick) {
			arm(tick);
		}
	}

	/**
	 * Stop watching a request (answered, failed or cancelled); harmless if it is not watched.
	 * @param r the request
	 */
	void cancel(Request r) {
		Slot slot = this.slots[(int) (tickOf(r.deadlineNanos) & MASK)];
		synchronized (slot) {
			unlink(slot, r);
		}
	}

	/**
	 * Return how many requests the wheel watches (counts every slot: for tests and diagnostics).
	 * @return the count
	 */
	int size() {
		int size = 0;
		for (Slot slot : this.slots) {
			synchronized (slot) {
				for (Request r = slot.head; r != null; r = r.wheelNext) {
					size++;
				}
			}
		}
		return size;
	}

	@Override
	public void run() {
		synchronized (this.armLock) {
			this.armed = null;
			this.armedTick = NOT_ARMED;
		}
		try {
			// the ticks that have fully passed: a request expires once its (rounded up) tick is one of them
			long now = Math.floorDiv(System.nanoTime() - this.origin, TICK_NANOS);
			Request expired = null;
			long from = Math.max(this.visitedTick + 1, now - MASK);
			for (long tick = from; tick <= now; tick++) {
				expired = visit(this.slots[(int) (tick & MASK)], tick, now, expired);
			}
			this.visitedTick = Math.max(this.visitedTick, now);
			while (expired != null) {
				Request next = expired.wheelNext;
				expired.wheelNext = null;
				timeOut(expired);
				expired = next;
			}
			long next = nextTick(now);
			if (next != NOT_ARMED) {
				arm(next);
			}
		}
		catch (Throwable ex) {
			logger.error("Broker timeout wheel failed; retrying in a millisecond", ex);
			arm(Math.floorDiv(System.nanoTime() - this.origin, TICK_NANOS) + 1);
		}
	}

	/**
	 * Take the requests of a slot whose tick came out of it.
	 * @return the expired requests so far, linked by {@code wheelNext}
	 */
	private @Nullable Request visit(Slot slot, long tick, long now, @Nullable Request expired) {
		synchronized (slot) {
			slot.visitedTick = tick;
			Request r = slot.head;
			while (r != null) {
				Request next = r.wheelNext;
				if (tickOf(r.deadlineNanos) <= now) {
					unlink(slot, r);
					r.wheelNext = expired;
					expired = r;
				}
				r = next;
			}
		}
		return expired;
	}

	private void timeOut(Request r) {
		try {
			this.broker.timeOut(r);
		}
		catch (RuntimeException ex) {
			logger.warn("Broker could not time out a request", ex);
		}
	}

	/**
	 * Return the first tick after {@code now} whose slot holds a request (possibly of a later turn,
	 * in which case the wheel only looks again then), or {@link #NOT_ARMED}.
	 */
	private long nextTick(long now) {
		for (long tick = now + 1; tick <= now + SLOTS; tick++) {
			if (this.slots[(int) (tick & MASK)].head != null) {
				return tick;
			}
		}
		return NOT_ARMED;
	}

	/** Cancel the next run and schedule none after it (the broker closed: the timer is shared). */
	void stop() {
		synchronized (this.armLock) {
			this.stopped = true;
			ScheduledFuture<?> previous = this.armed;
			if (previous != null) {
				previous.cancel(false);
			}
			this.armed = null;
			this.armedTick = NOT_ARMED;
		}
	}

	private void arm(long tick) {
		synchronized (this.armLock) {
			if (this.stopped || tick >= this.armedTick) {
				return;
			}
			ScheduledFuture<?> previous = this.armed;
			if (previous != null) {
				previous.cancel(false);
			}
			long delay = Math.max(0, this.origin + tick * TICK_NANOS - System.nanoTime());
			try {
				this.armed = this.timer.schedule(this, delay, TimeUnit.NANOSECONDS);
				this.armedTick = tick;
			}
			catch (RejectedExecutionException ex) {
				// the broker is closed; close fails what is left
				this.armed = null;
			}
		}
	}

	/** The tick of a deadline, rounded up so that it never comes before the deadline. */
	private long tickOf(long deadlineNanos) {
		return ceilDiv(deadlineNanos - this.origin, TICK_NANOS);
	}

	private static long ceilDiv(long x, long y) {
		return -Math.floorDiv(-x, y);
	}

	/** Unlink a request if it is in the slot; the caller holds the slot's monitor. */
	private static void unlink(Slot slot, Request r) {
		Request prev = r.wheelPrev;
		Request next = r.wheelNext;
		if (prev != null) {
			prev.wheelNext = next;
		}
		else if (slot.head == r) {
			slot.head = next;
		}
		else {
			// not in the slot (never scheduled, already expired or cancelled)
			return;
		}
		if (next != null) {
			next.wheelPrev = prev;
		}
		r.wheelPrev = null;
		r.wheelNext = null;
	}

	/** One slot: the requests whose deadline tick falls on it, in any turn of the wheel. */
	private static final class Slot {

		/** Written under the slot's monitor; read without it by {@link #nextTick}. */
		volatile @Nullable Request head;

		/** The last tick this slot was visited for; under the slot's monitor. */
		long visitedTick = Long.MIN_VALUE;

	}

}
