package dev.anet.server;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default handler threads: a few hot workers on one queue, and more when queued requests
 * starve.
 *
 * <pre>
 *   dispatcher ──► queue ──► core workers: always there; a busy worker takes the next request
 *                    │                  without parking
 *                    └──► extra workers: added when the oldest queued request has waited
 *                                        {@value #STARVATION_MILLIS} ms with no idle worker, and
 *                                        the workers wait rather than compute; gone after a
 *                                        minute idle
 * </pre>
 *
 * A cached thread pool hands every request to a parked thread (a wake-up per request) and grows to
 * as many threads as requests in flight even when the handlers are quick. This pool keeps wake-ups
 * rare for quick handlers and still grows for handlers that block (calls to an HSM or a host): it
 * doubles its extra workers every {@value #STARVATION_MILLIS} ms while requests starve. "The
 * workers wait" means a request takes 100 µs or more on a worker on average, or no request
 * started at all since the last check (every worker stuck); requests that queue only because the
 * CPUs are busy do not add threads. For an {@link AsyncHandler} whose calls never wait for their
 * answer on the thread (no interceptor makes them, see {@link HandlerChain#waitsOnThreads()}), a
 * slow average means work, not waiting (such a call may write to a backend itself): the pool then
 * grows only when every worker is stuck (in a blocked write, say). The server's semaphore bounds
 * how many handlers run; {@code maxSize} is only a backstop.
 */
final class HandlerPool {

	/** A queued request this old, with no idle worker, makes the pool grow. */
	static final long STARVATION_MILLIS = 5;

	private static final long STARVATION_NANOS = TimeUnit.MILLISECONDS.toNanos(STARVATION_MILLIS);

	/** Runs this long on average mean handlers that wait (on I/O, locks...), so more threads help. */
	private static final long WAITING_RUN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private static final long EXTRA_KEEP_ALIVE_SECONDS = 60;

	private static final Logger logger = LoggerFactory.getLogger(HandlerPool.class);

	/** Tells a worker to leave. */
	private static final Runnable POISON = () -> {
	};

	private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

	private final Function<Runnable, Thread> threadMaker;

	private final ScheduledExecutorService timer;

	private final int coreSize;

	private final int maxSize;

	/** Whether a slow average run makes the pool grow (else only stuck workers do). */
	private final boolean growForSlowRuns;

	private final AtomicInteger workers = new AtomicInteger();

	private final AtomicInteger idle = new AtomicInteger();

	private final AtomicBoolean checkArmed = new AtomicBoolean();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private volatile boolean shutdown;

	/** Moving average of how long a request takes on a worker (handler and write). */
	private volatile long averageRunNanos;

	/** Requests started; only compared with {@link #startedAtLastCheck} (lost updates are harmless). */
	private volatile long started;

	/** Timer thread only. */
	private long startedAtLastCheck;

	/**
	 * Create a pool; no thread starts before the first request.
	 * @param threadMaker makes (does not start) a worker thread
	 * @param timer runs the starvation check
	 * @param coreSize workers kept when idle
	 * @param maxSize most workers
	 * @param growForSlowRuns whether requests that take 100 µs or more on average make the pool
	 * grow (they wait, so more threads help); if not, only stuck workers do
	 */
	HandlerPool(Function<Runnable, Thread> threadMaker, ScheduledExecutorService timer, int coreSize, int maxSize,
			boolean growForSlowRuns) {
		this.threadMaker = threadMaker;
		this.timer = timer;
		this.coreSize = coreSize;
		this.maxSize = Math.max(coreSize, maxSize);
		this.growForSlowRuns = growForSlowRuns;
	}

	/**
	 * Return the default number of core workers: twice the processors, at least 4.
	 * @return the count
	 */
	static int defaultCoreSize() {
		return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
	}

	/**
	 * Queue a request for a worker.
	 * @param task the request
	 * @throws RejectedExecutionException after {@link #shutdown}
	 */
	void execute(Job task) {
		if (this.shutdown) {
			throw new RejectedExecutionException("Handler pool is shut down");
		}
		task.queued(System.nanoTime());
		this.queue.offer(task);
		if (this.queue.size() > this.idle.get()) {
			if (this.workers.get() < this.coreSize) {
				addWorkers(1);
			}
			else {
				armStarvationCheck();
			}
		}
	}

	/**
	 * Return the number of worker threads.
	 * @return the count
	 */
	int size() {
		return this.workers.get();
	}

	/**
	 * Stop the workers. Without {@code interrupt} they first run what is queued; with it, queued
	 * requests are dropped and running handlers are interrupted.
	 * @param interrupt whether to interrupt running handlers
	 */
	void shutdown(boolean interrupt) {
		this.shutdown = true;
		if (interrupt) {
			this.queue.clear();
		}
		for (int i = this.workers.get(); i > 0; i--) {
			this.queue.offer(POISON);
		}
		if (interrupt) {
			this.threads.forEach(Thread::interrupt);
		}
	}

	private void armStarvationCheck() {
		if (!this.shutdown && this.checkArmed.compareAndSet(false, true)) {
			try {
				this.timer.schedule(this::checkStarvation, STARVATION_NANOS, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				this.checkArmed.set(false);
			}
		}
	}

	private void checkStarvation() {
		try {
			this.checkArmed.set(false);
			Runnable oldest = this.queue.peek();
			if (this.shutdown || oldest == null) {
				return;
			}
			long startedNow = this.started;
			boolean stuck = startedNow == this.startedAtLastCheck;
			this.startedAtLastCheck = startedNow;
			// a queue that waits behind busy CPUs does not get faster with more threads: grow only
			// when the workers wait (slow runs) or are all stuck
			if (this.queue.size() > this.idle.get() && oldest instanceof Job task
					&& System.nanoTime() - task.queuedNanos() >= STARVATION_NANOS
					&& (stuck || (this.growForSlowRuns && this.averageRunNanos >= WAITING_RUN_NANOS))) {
				int extra = this.workers.get() - this.coreSize;
				addWorkers(Math.min(this.queue.size(), Math.max(1, extra)));
			}
			// look again while anything waits: a worker idle now may be blocked at the next check
			armStarvationCheck();
		}
		catch (RuntimeException ex) {
			logger.warn("Handler pool starvation check failed", ex);
		}
	}

	private void addWorkers(int count) {
		int added = 0;
		while (added < count) {
			int current = this.workers.get();
			if (current >= this.maxSize) {
				return;
			}
			if (!this.workers.compareAndSet(current, current + 1)) {
				continue;
			}
			if (this.shutdown) {
				this.workers.decrementAndGet();
				return;
			}
			try {
				this.threadMaker.apply(this::work).start();
			}
			catch (RuntimeException | OutOfMemoryError ex) {
				this.workers.decrementAndGet();
				logger.error("Could not start a handler thread ({} running)", this.workers.get(), ex);
				return;
			}
			added++;
		}
	}

	private void work() {
		Thread self = Thread.currentThread();
		this.threads.add(self);
		try {
			for (Runnable task = nextTask(); task != null; task = nextTask()) {
				this.started++;
				long start = System.nanoTime();
				try {
					task.run();
				}
				catch (Throwable ex) {
					logger.error("Handler thread failed", ex);
				}
				long average = this.averageRunNanos;
				this.averageRunNanos = average + ((System.nanoTime() - start - average) >> 3);
				// a handler's interrupt must not reach the next one
				Thread.interrupted();
			}
		}
		finally {
			this.threads.remove(self);
		}
	}

	/**
	 * Take the next request.
	 * @return the request, or {@code null} when this worker leaves the pool (shut down, or an
	 * extra worker idle for a minute); its count is then given back
	 */
	private @Nullable Runnable nextTask() {
		while (true) {
			boolean extra = this.workers.get() > this.coreSize;
			Runnable task = null;
			this.idle.incrementAndGet();
			try {
				task = extra ? this.queue.poll(EXTRA_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS) : this.queue.take();
			}
			catch (InterruptedException ex) {
				// shutdown, or a stray interrupt
			}
			finally {
				this.idle.decrementAndGet();
			}
			if (task == POISON || (task == null && this.shutdown)) {
				this.workers.decrementAndGet();
				return null;
			}
			if (task != null) {
				return task;
			}
			if (!this.queue.isEmpty()) {
				// a request came as the wait ended: an extra worker does not leave it behind
				continue;
			}
			int current = this.workers.get();
			if (extra && current > this.coreSize && this.workers.compareAndSet(current, current - 1)) {
				return null;
			}
		}
	}

	/**
	 * A request as the pool sees it: something to run that remembers when it was queued.
	 */
	interface Job extends Runnable {

		/**
		 * The job was queued.
		 * @param nanos when ({@link System#nanoTime()})
		 */
		void queued(long nanos);

		/**
		 * Return when the job was queued.
		 * @return the {@link System#nanoTime()} given to {@link #queued}
		 */
		long queuedNanos();

	}

}
