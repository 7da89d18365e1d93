package dev.anet.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.AnetException;
import dev.anet.AnetTimeoutException;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.Balancing;
import dev.anet.pool.PoolClosedException;
import dev.anet.pool.PoolGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a broker's queued requests onto pooled connections: the request queue, the writer role and
 * the worker threads.
 *
 * <p>One thread at a time holds the writer role and writes the queue (flat combining): the caller
 * that finds nobody writing takes the role, and over an idle connection writes its request and
 * every request queued meanwhile, one gathering write per round, with no hand-off to another
 * thread. It leaves the rest to a worker after {@value #MAX_CALLER_ROUNDS} rounds, or at once when
 * no connection is idle; a worker waits for (or dials) a connection until the oldest queued
 * request's deadline. With {@value #BATCH_IN_FLIGHT} or more requests in flight, a caller yields the
 * processor once before its first write, so that more requests join it. See {@link #drive} for why
 * a queued request is never left without a writer.
 *
 * <p>The {@link Broker} keeps the counts and the closed state: it queues a request with
 * {@link #add}, then either drives the queue or, once closed, fails it.
 */
final class Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	/** Most threads writing the queue at once: one, so that requests queued meanwhile share its next write. */
	private static final int MAX_WRITERS = 1;

	/** Writes a caller makes for others before it leaves the rest to a worker. */
	private static final int MAX_CALLER_ROUNDS = 16;

	/**
	 * Requests in flight from which a caller that takes the writer role first yields the processor
	 * once, so that more requests join its first write.
	 */
	private static final int BATCH_IN_FLIGHT = 8;

	/** How long {@link #stopWorkers()} waits, after the pools closed, for workers to fail what they hold. */
	private static final long WORKER_EXIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	private final Broker broker;

	private final PoolGroup pools;

	/**
	 * Writes over one connection before the address is picked again: one when the balancing
	 * weighs the addresses' load, which changes with every write.
	 */
	private final int roundsPerConnection;

	/** The broker's count of requests written and not yet finished. */
	private final AtomicInteger inFlight;

	private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();

	/** Threads in the writer role (holding or waiting for a connection to write the queue). */
	private final AtomicInteger writers = new AtomicInteger();

	/**
	 * The threads reading this broker's connections, each with its connection. A request that a
	 * completion sends from one of them (a chain of {@code sendAsync} calls) is not written there and
	 * then: the reader finishes its read batch, and the requests its completions sent go out
	 * together, written by a worker ({@link #sentFromReader}), so a reader never waits on a write.
	 */
	private final ConcurrentHashMap<Thread, Multiplexer> readers = new ConcurrentHashMap<>();

	/** Wakes a worker when the queue needs one. */
	private final Semaphore wakeups = new Semaphore(0);

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean terminated;

	/**
	 * Create a dispatcher for a broker.
	 * @param broker the broker, which settles requests and owns the multiplexers
	 * @param pools the broker's pools
	 * @param inFlight the broker's count of requests in flight
	 */
	Dispatcher(Broker broker, PoolGroup pools, AtomicInteger inFlight) {
		this.broker = broker;
		this.pools = pools;
		this.inFlight = inFlight;
		this.roundsPerConnection = (pools.balancing() == Balancing.LEAST_IN_FLIGHT) ? 1 : Integer.MAX_VALUE;
	}

	/**
	 * Start the worker threads.
	 * @param count how many
	 */
	void start(int count) {
		for (int i = 0; i < count; i++) {
			Thread worker = this.broker.newThread(this::workLoop, "anet-broker-worker-" + i);
			this.workers.add(worker);
			worker.start();
		}
	}

	/**
	 * Queue a request. The caller then {@linkplain #drive drives} the queue, or fails it when the
	 * broker closed meanwhile.
	 * @param r the request
	 */
	void add(Request r) {
		this.queue.add(r);
	}

	/**
	 * Write what is queued while no other thread does, and as long as there is something to write.
	 * A caller gives up its turn after {@value #MAX_CALLER_ROUNDS} writes, or when no connection is
	 * idle, and leaves the rest to a worker, which waits for (or dials) a connection.
	 * <p>Every thread that leaves the writer role looks at the queue again, and every thread that
	 * queues a request looks at the writer count after queueing it: so one of the two sees the
	 * other, and a queued request is never left without a writer.
	 * @param worker whether the caller is a worker (which may wait for a connection)
	 */
	void drive(boolean worker) {
		int rounds = 0;
		while (!this.queue.isEmpty()) {
			if (this.broker.isClosed()) {
				// close fails what is queued and waits only for what was written before it began
				failQueued();
				return;
			}
			if (this.writers.get() >= MAX_WRITERS) {
				return;
			}
			if (!this.writers.compareAndSet(0, 1)) {
				continue;
			}
			AnetConnection connection;
			try {
				if (!worker && this.inFlight.get() >= BATCH_IN_FLIGHT) {
					// busy: let the callers that the last answers woke queue their requests, so
					// that they share this write (a write costs both sides far more than a yield)
					Thread.yield();
				}
				connection = worker ? awaitConnection() : idleConnection();
				if (connection != null) {
					rounds += writeBatches(connection,
							Math.min(this.roundsPerConnection, worker ? Integer.MAX_VALUE : MAX_CALLER_ROUNDS - rounds));
				}
			}
			finally {
				this.writers.decrementAndGet();
			}
			if (!worker && (connection == null || rounds >= MAX_CALLER_ROUNDS)) {
				if (!this.queue.isEmpty()) {
					wakeWorker();
				}
				return;
			}
		}
	}

	/**
	 * An idle connection for a caller, or {@code null}; when the pools refuse (closed, every
	 * address down), every queued request fails with that reason, as the caller's own would.
	 */
	private @Nullable AnetConnection idleConnection() {
		try {
			return this.pools.acquire(true);
		}
		catch (PoolClosedException ex) {
			failQueued(closedException(), RequestOutcome.REJECTED);
		}
		catch (AnetException ex) {
			failQueued(ex, RequestOutcome.ERROR);
		}
		return null;
	}

	/**
	 * A connection for the oldest queued request, waiting for one (or dialling) until that request's
	 * deadline; {@code null} when that request was settled instead (timed out, failed).
	 */
	private @Nullable AnetConnection awaitConnection() {
		Request head = this.queue.peek();
		while (head != null && head.state() != Request.QUEUED) {
			this.queue.poll();
			head = this.queue.peek();
		}
		if (head == null) {
			return null;
		}
		try {
			return this.pools.get(Duration.ofNanos(Math.max(0, head.deadlineNanos - System.nanoTime())));
		}
		catch (AnetTimeoutException ex) {
			this.queue.remove(head);
			this.broker.timeOut(head);
		}
		catch (PoolClosedException ex) {
			failQueued(closedException(), RequestOutcome.ERROR);
		}
		catch (AnetException ex) {
			this.queue.remove(head);
			head.fail(this.broker.isClosed() ? closedException() : ex, RequestOutcome.ERROR);
		}
		catch (Throwable ex) {
			logger.error("Broker worker failed on a request", ex);
			this.queue.remove(head);
			head.fail(new AnetException("Broker worker failed: " + ex, ex), RequestOutcome.ERROR);
		}
		return null;
	}

	/**
	 * {@link #drive} for a {@code sendAsync}: on one of this broker's readers (a completion that
	 * sends the next request), the request waits for the end of the reader's batch instead (see
	 * {@link #sentFromReader}). A blocking {@code send} there is driven at once: it may go out over
	 * another connection, whose reader can answer it.
	 */
	void driveAsync() {
		Multiplexer reading = this.readers.get(Thread.currentThread());
		if (reading != null) {
			reading.sentFromReader = true;
			return;
		}
		drive(false);
	}

	/**
	 * A connection's reader starts: requests sent on its thread wait for the end of its read batch.
	 * @param mux the connection
	 */
	void readerStarted(Multiplexer mux) {
		this.readers.put(Thread.currentThread(), mux);
	}

	/** A connection's reader ends. */
	void readerEnded() {
		this.readers.remove(Thread.currentThread());
	}

	/**
	 * A reader's read batch is done and its completions sent requests: unless a writer is at work
	 * (it looks at the queue again before it leaves its role), a worker writes them.
	 */
	void sentFromReader() {
		if (!this.queue.isEmpty() && this.writers.get() == 0) {
			wakeWorker();
		}
	}

	private void wakeWorker() {
		if (this.wakeups.availablePermits() == 0) {
			this.wakeups.release();
		}
	}

	private void workLoop() {
		while (!this.terminated) {
			try {
				// the timed wait also catches a queue that nobody was woken for
				this.wakeups.tryAcquire(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				if (this.terminated) {
					return;
				}
				continue;
			}
			drive(true);
		}
	}

	/**
	 * Write the queue over the connection, one gathering write per round, while requests are
	 * queued and the connection has free slots, then give the connection back. The caller holds
	 * the connection and the writer role.
	 * @return the number of writes
	 */
	private int writeBatches(AnetConnection connection, int maxRounds) {
		Multiplexer mux = this.broker.multiplexer(connection);
		int rounds = 0;
		try {
			int slots = mux.freeSlots();
			while (slots > 0 && rounds < maxRounds && !this.queue.isEmpty() && !this.broker.isClosed()) {
				Request next;
				// a connection that failed (or was retired) takes nothing more: the rest stays queued
				while (slots > 0 && mux.accepting() && (next = this.queue.poll()) != null) {
					if (next.claim() && mux.append(next)) {
						slots--;
					}
				}
				mux.flush();
				rounds++;
				slots = mux.freeSlots();
			}
		}
		catch (RuntimeException ex) {
			logger.error("Broker writer failed on connection {}", connection, ex);
			mux.abort(ex);
		}
		this.pools.put(connection);
		return Math.max(rounds, 1);
	}

	/**
	 * Take back a request that was staged on a connection but never written (the connection
	 * failed or stopped taking requests first). Called by the writer, which looks at the queue
	 * again before it leaves the writer role, so the request is not left without a writer.
	 * @param r the request, queued again
	 */
	void requeue(Request r) {
		this.queue.add(r);
		if (this.broker.isClosed()) {
			failQueued();
		}
	}

	/** Fail every queued request: the broker is closed. */
	void failQueued() {
		Request r;
		while ((r = this.queue.poll()) != null) {
			r.fail(new BrokerClosedException("Broker closed before the request was sent"), RequestOutcome.ERROR);
		}
	}

	private void failQueued(RuntimeException cause, RequestOutcome outcome) {
		Request r;
		while ((r = this.queue.poll()) != null) {
			r.fail(cause, outcome);
		}
	}

	private BrokerClosedException closedException() {
		return new BrokerClosedException("Broker is closed; request not sent");
	}

	/** Let the workers end: each leaves its loop when it next wakes (or is interrupted). */
	void terminate() {
		this.terminated = true;
	}

	/**
	 * Interrupt the workers and wait up to 500 ms for them to end, so that a worker that took a
	 * request from the queue fails it first. Called after {@link #terminate()} and after the pools
	 * closed (which wakes the workers waiting for a connection).
	 */
	void stopWorkers() {
		for (Thread worker : this.workers) {
			worker.interrupt();
		}
		awaitWorkers(System.nanoTime() + WORKER_EXIT_NANOS);
	}

	/** Wait for the workers to end (not for the current thread: a callback may close the broker). */
	private void awaitWorkers(long deadline) {
		for (Thread worker : this.workers) {
			if (worker == Thread.currentThread() || !worker.isAlive()) {
				continue;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				logger.warn("Broker worker {} did not end within {} ms of close", worker.getName(),
						TimeUnit.NANOSECONDS.toMillis(WORKER_EXIT_NANOS));
				return;
			}
			try {
				TimeUnit.NANOSECONDS.timedJoin(worker, remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
