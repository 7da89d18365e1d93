package dev.anet.broker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.anet.AnetException;
import dev.anet.AnetTimeoutException;
import dev.anet.frame.Frames;
import dev.anet.internal.Checks;
import dev.anet.internal.SharedTimers;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.PoolGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends anet requests over pooled connections and matches the answers by task id.
 *
 * <pre>
 *  caller ─send─► bounded queue ──► writer? ──none──► this caller becomes the writer:
 *                                     │ one           idle connection ──► write the queue (one
 *                                     ▼                gathering write per round) ──► pool
 *                        the writer takes it into      no idle connection ──► a worker waits
 *                        its next round                for (or dials) one and writes
 *
 *  connection reader ──answer(task id)──► wakes its caller / completes its future
 * </pre>
 *
 * <p>Requests are multiplexed: a connection carries up to {@code maxInFlightPerConnection} requests
 * at once, and goes back to the pool right after its write. Every request is queued (at most
 * {@code queueSize}; one more is rejected at once with {@link QueueFullException}) and one thread
 * at a time writes the queue: the caller that finds nobody writing takes the writer role, writes
 * its request and every request queued meanwhile, round after round (flat combining: no hand-off
 * to another thread), and leaves the rest to one of {@code workers} threads after 16 rounds or
 * when no connection is idle. Under load (8 or more requests in flight) it yields the processor
 * once before its first write, so that the callers the last answers woke can queue theirs and share
 * it. When every connection is at its in-flight bound, requests wait in the queue until a slot
 * frees or their deadline passes.
 *
 * <p>Deadline = min(readTimeout, the caller's timeout). A request whose deadline passes while queued
 * is never written; one that times out in flight is forgotten, its late answer dropped and counted,
 * and the connection stays in use. A lost connection takes no request from the moment its failure is
 * known, and fails at once, with {@link ConnectionLostException}, exactly the requests whose bytes
 * were handed to its socket; those staged for it but not written go back to the queue and over
 * another connection. A connection presumed half-open is retired: no new requests, and the requests
 * on it keep their own deadlines (see {@link Multiplexer}).
 */
public final class Broker implements AutoCloseable {

	/**
	 * How long {@link #close()} goes on failing requests that a writer put on a connection after it
	 * stopped waiting for requests in flight, until none is left.
	 */
	private static final long CLOSE_SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	/**
	 * How long a caller whose request is done parks at most before it looks again whether the
	 * outcome is written (the thread that wrote it also wakes the caller).
	 */
	private static final long SETTLE_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private static final Logger logger = LoggerFactory.getLogger(Broker.class);

	private final PoolGroup pools;

	private final BrokerConfig config;

	private final BrokerListener listener;

	private final long readTimeoutNanos;

	/** Requests accepted and not yet written (or finished). */
	private final AtomicInteger queued = new AtomicInteger();

	/** Requests written and not yet finished. */
	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger taskIds = new AtomicInteger();

	private final AtomicLong lateResponses = new AtomicLong();

	private final Set<Multiplexer> multiplexers = ConcurrentHashMap.newKeySet();

	private final ThreadFactory threadFactory;

	/** Moves queued requests onto connections: the queue, the writer role and the workers. */
	private final Dispatcher dispatcher;

	/** The write-stall check on the shared timer, cancelled by {@link #close}. */
	private final ScheduledFuture<?> stallCheck;

	/** The deadlines of {@link #sendAsync} requests (a {@link #send} caller watches its own). */
	private final TimeoutWheel timeouts;

	private final Object closeLock = new Object();

	/** The interceptors' runner, {@code null} when there is none (the send path then skips it). */
	private final @Nullable BrokerInterception interception;

	private volatile boolean closed;

	/**
	 * Create a broker over a pool group; the broker owns the group and closes it.
	 * @param pools the pools
	 * @param config the configuration
	 */
	public Broker(PoolGroup pools, BrokerConfig config) {
		this(pools, config, BrokerListener.NONE);
	}

	/**
	 * Create a broker over a pool group; the broker owns the group and closes it.
	 * @param pools the pools
	 * @param config the configuration
	 * @param listener the metrics listener
	 */
	public Broker(PoolGroup pools, BrokerConfig config, BrokerListener listener) {
		this.pools = Checks.notNull("pools", pools);
		this.config = Checks.notNull("config", config);
		this.listener = Checks.notNull("listener", listener);
		this.readTimeoutNanos = config.readTimeout().toNanos();
		this.dispatcher = new Dispatcher(this, this.pools, this.inFlight);
		ThreadFactory factory = config.threadFactory();
		this.threadFactory = (factory != null) ? factory : (task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			return thread;
		};
		// one timer thread for every broker of the JVM: its tasks are short
		ScheduledExecutorService timer = SharedTimers.brokerTimer();
		this.timeouts = new TimeoutWheel(this, timer);
		long tick = Math.max(10, Math.min(250, config.writeTimeout().toMillis() / 4));
		this.stallCheck = timer.scheduleWithFixedDelay(this::checkWriteStalls, tick, tick, TimeUnit.MILLISECONDS);
		this.dispatcher.start(config.workers());
		this.interception = config.interceptors().isEmpty() ? null : new BrokerInterception(this, config.interceptors());
	}

	public BrokerConfig config() {
		return this.config;
	}

	public PoolGroup pools() {
		return this.pools;
	}

	/**
	 * Send a request and wait for its answer, at most {@code readTimeout}.
	 * @param request the request body (at most 65531 bytes)
	 * @return the answer body
	 * @throws AnetTimeoutException if no answer came in time
	 * @throws QueueFullException if the queue is full
	 * @throws BrokerClosedException if the broker is closed
	 * @throws ConnectionLostException if the connection was lost with the request in flight
	 * @throws dev.anet.frame.FrameTooLargeException if the body is over 65531 bytes
	 * @throws dev.anet.pool.NoPoolsAvailableException if every address is down
	 */
	public byte[] send(byte[] request) {
		return send(request, null);
	}

	/**
	 * Send a request and wait for its answer, at most min(timeout, readTimeout).
	 * @param request the request body (at most 65531 bytes)
	 * @param timeout the caller's deadline
	 * @return the answer body
	 * @see #send(byte[])
	 */
	public byte[] send(byte[] request, @Nullable Duration timeout) {
		BrokerInterception interception = this.interception;
		return (interception != null) ? interception.send(request, timeout) : sendDirect(request, timeout, null);
	}

	/** {@link #send(byte[], Duration)} without the interceptors; tells the exchange where the request went. */
	byte[] sendDirect(byte[] request, @Nullable Duration timeout, @Nullable BrokerExchange exchange) {
		Request r = admit(request, timeout);
		r.waiter = Thread.currentThread();
		dispatch(r, false);
		boolean interrupted = false;
		// wait for the outcome to be visible, not only for the request to be done: the thread that
		// finished it (a reader, the timeout, a close) writes the outcome after its transition, then
		// wakes this one
		while (!r.isSettled()) {
			boolean done = r.isDone();
			long remaining = r.deadlineNanos - System.nanoTime();
			if (!done && remaining <= 0) {
				timeOut(r);
				continue;
			}
			LockSupport.parkNanos(this, done ? SETTLE_WAIT_NANOS : remaining);
			if (Thread.interrupted()) {
				interrupted = true;
				// a no-op once the request is done
				r.fail(new AnetException("Interrupted while waiting for an answer"), RequestOutcome.ERROR);
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		r.waiter = null;
		if (exchange != null) {
			exchange.sent(r);
		}
		return r.result();
	}

	/**
	 * Send a request without waiting. The future completes with the answer or fails with the same
	 * exceptions {@link #send(byte[])} throws; cancelling it frees the request. Dependent actions
	 * that are not {@code *Async} run on the connection's reader thread: keep them short. A
	 * {@code sendAsync} from such an action is written after the reader's read batch, with the
	 * others sent meanwhile, by the broker's writer; the reader never writes.
	 * @param request the request body (at most 65531 bytes)
	 * @return the future answer
	 */
	public CompletableFuture<byte[]> sendAsync(byte[] request) {
		return sendAsync(request, null);
	}

	/**
	 * Send a request without waiting, with a deadline of min(timeout, readTimeout).
	 * @param request the request body (at most 65531 bytes)
	 * @param timeout the caller's deadline
	 * @return the future answer
	 * @see #sendAsync(byte[])
	 */
	public CompletableFuture<byte[]> sendAsync(byte[] request, @Nullable Duration timeout) {
		BrokerInterception interception = this.interception;
		return (interception != null) ? interception.sendAsync(request, timeout) : sendAsyncDirect(request, timeout);
	}

	/** {@link #sendAsync(byte[], Duration)} without the interceptors. */
	CompletableFuture<byte[]> sendAsyncDirect(byte[] request, @Nullable Duration timeout) {
		Request r;
		try {
			r = admit(request, timeout);
		}
		catch (AnetException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		Request.RequestFuture future = new Request.RequestFuture(r);
		r.future = future;
		this.timeouts.schedule(r);
		dispatch(r, true);
		return future;
	}

	/**
	 * Return the number of requests accepted and not yet written.
	 * @return the queue size
	 */
	public int queueSize() {
		return this.queued.get();
	}

	/**
	 * Return the most requests that may wait to be written.
	 * @return {@code queueSize}
	 */
	public int queueCapacity() {
		return this.config.queueSize();
	}

	/**
	 * Return the number of requests written and waiting for their answer.
	 * @return the in-flight count
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * Return the number of answers dropped because nobody waited for them any more.
	 * @return the late answers
	 */
	public long lateResponses() {
		return this.lateResponses.get();
	}

	public boolean isClosed() {
		return this.closed;
	}

	private Request admit(byte[] body, @Nullable Duration timeout) {
		long start = System.nanoTime();
		Checks.notNull("request", body);
		if (this.closed) {
			BrokerClosedException failure = new BrokerClosedException("Broker is closed; request not sent");
			this.listener.requestCompleted(RequestOutcome.REJECTED, failure, System.nanoTime() - start);
			throw failure;
		}
		if (body.length > Frames.MAX_BODY_SIZE) {
			try {
				Frames.checkBodySize(body.length);
			}
			catch (RuntimeException ex) {
				this.listener.requestCompleted(RequestOutcome.ERROR, ex, System.nanoTime() - start);
				throw ex;
			}
		}
		long timeoutNanos = this.readTimeoutNanos;
		if (timeout != null) {
			timeoutNanos = Math.min(timeoutNanos, Math.max(0, timeout.toNanos()));
		}
		if (this.queued.incrementAndGet() > this.config.queueSize()) {
			this.queued.decrementAndGet();
			QueueFullException failure = new QueueFullException("Broker queue is full: " + this.config.queueSize()
					+ " requests are waiting to be written (queueSize); request rejected");
			this.listener.requestCompleted(RequestOutcome.REJECTED, failure, System.nanoTime() - start);
			throw failure;
		}
		return new Request(this, body, start, timeoutNanos);
	}

	/**
	 * Queue the request, then write the queue unless another thread is writing it: that thread
	 * takes this request into its next write (flat combining, no thread hand-off).
	 */
	private void dispatch(Request r, boolean async) {
		Dispatcher dispatcher = this.dispatcher;
		dispatcher.add(r);
		if (this.closed) {
			// close() sets closed before it fails the queue: one of the two fails this request
			dispatcher.failQueued();
			return;
		}
		if (async) {
			dispatcher.driveAsync();
		}
		else {
			dispatcher.drive(false);
		}
	}

	/** The connection's multiplexer, made (and its reader started) when the broker first writes over it. */
	Multiplexer multiplexer(AnetConnection connection) {
		AnetConnection.Tenant tenant = connection.tenant();
		if (tenant instanceof Multiplexer mux) {
			return mux;
		}
		Multiplexer mux = new Multiplexer(this, connection, this.dispatcher);
		connection.attach(mux);
		this.multiplexers.add(mux);
		mux.start();
		return mux;
	}

	int nextTaskId() {
		return this.taskIds.incrementAndGet();
	}

	/** Called by a request that reached its outcome, exactly once. */
	void settled(Request r, int from, RequestOutcome outcome) {
		if (from == Request.QUEUED) {
			this.queued.decrementAndGet();
		}
		else {
			this.inFlight.decrementAndGet();
		}
		this.listener.requestCompleted(outcome, r.failure(), System.nanoTime() - r.startNanos);
	}

	/** Called by a claim: the request left the queue and is being written. */
	void claimed() {
		this.queued.decrementAndGet();
		this.inFlight.incrementAndGet();
	}

	/** Called by an unstage: the request is back in the queue, never written. */
	void unclaimed() {
		this.inFlight.decrementAndGet();
		this.queued.incrementAndGet();
	}

	void lateResponse() {
		this.lateResponses.incrementAndGet();
		this.listener.lateResponse();
	}

	void multiplexerEnded(Multiplexer mux) {
		this.multiplexers.remove(mux);
	}

	Thread newThread(Runnable task, String name) {
		Thread thread = this.threadFactory.newThread(task);
		thread.setName(name);
		return thread;
	}

	TimeoutWheel timeouts() {
		return this.timeouts;
	}

	/**
	 * Fail the request with a timeout that says whether it was sent, and if it was still queued
	 * (never written), what it was waiting for.
	 */
	void timeOut(Request r) {
		int state = r.state();
		if (state == Request.DONE) {
			return;
		}
		String where = switch (state) {
			case Request.QUEUED -> "request was still queued and was not sent: "
					+ QueuedWait.describe(this.pools, this.config.maxInFlightPerConnection());
			case Request.STAGED -> "request was being written";
			default -> "request was sent";
		};
		r.fail(new AnetTimeoutException("No answer within " + TimeUnit.NANOSECONDS.toMillis(r.timeoutNanos) + " ms ("
				+ where + ")"), RequestOutcome.TIMEOUT);
	}

	private void checkWriteStalls() {
		try {
			long now = System.nanoTime();
			long limit = this.config.writeTimeout().toNanos();
			for (Multiplexer mux : this.multiplexers) {
				mux.checkWriteStall(now, limit);
			}
		}
		catch (Throwable ex) {
			logger.warn("Broker write-stall check failed", ex);
		}
	}

	/**
	 * Close the broker: refuse new requests, fail the queued ones, wait up to {@code closeTimeout}
	 * for the requests in flight, fail the rest, and close the pools. Every request has its outcome
	 * when this returns, also one a worker had taken from the queue. Idempotent; never blocks much
	 * longer than {@code closeTimeout} (at most 500 ms more for the workers to end).
	 */
	@Override
	public void close() {
		synchronized (this.closeLock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.dispatcher.failQueued();
			long deadline = System.nanoTime() + this.config.closeTimeout().toNanos();
			while (this.inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
				this.dispatcher.failQueued();
			}
			this.dispatcher.terminate();
			BrokerClosedException closing = new BrokerClosedException("Broker closed before the answer came (closeTimeout "
					+ this.config.closeTimeout().toMillis() + " ms)");
			for (Multiplexer mux : this.multiplexers) {
				mux.failAll(closing);
			}
			this.dispatcher.failQueued();
			// closing the pools wakes workers waiting for a connection with PoolClosedException
			this.pools.close();
			// a worker may hold a request it took from the queue: let it fail it before we return
			this.dispatcher.stopWorkers();
			// writers take nothing from the queue once closed, but one that took requests just
			// before (between its check and its take) may have written them over a connection the
			// loop above did not see: they fail as closed too, here, rather than later as lost
			// when their reader sees the close
			long failDeadline = System.nanoTime() + CLOSE_SETTLE_NANOS;
			while (this.inFlight.get() > 0 && System.nanoTime() - failDeadline < 0) {
				for (Multiplexer mux : this.multiplexers) {
					mux.failAll(closing);
				}
				this.dispatcher.failQueued();
				if (this.inFlight.get() > 0) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
			}
			this.stallCheck.cancel(false);
			this.timeouts.stop();
		}
	}

}
