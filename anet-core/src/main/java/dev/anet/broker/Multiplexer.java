package dev.anet.broker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.anet.frame.FrameConsumer;
import dev.anet.frame.FrameReader;
import dev.anet.frame.FrameWriter;
import dev.anet.frame.InvalidFrameException;
import dev.anet.pool.Addresses;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.Balancing;
import dev.anet.tls.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's side of one connection: the requests in flight on it, the writer used by whoever
 * holds the connection, and the reader thread that completes requests by task id, whatever the
 * order of the answers.
 *
 * <p>When the connection ends (end-of-stream, I/O error, protocol error, write timeout), it takes
 * no request from that moment on, and every request whose bytes were handed to its socket fails at
 * once with {@link ConnectionLostException} naming the address and the cause; the pool forgets the
 * connection. A request that was only staged (framed into the writer's batch, or taken for this
 * connection, but not written) is given back to the broker's queue and goes over another
 * connection within its own deadline. Which of the two a request is follows from the writer's
 * count of bytes written ({@link FrameWriter#bytesWritten}): a frame that starts before it was
 * handed to the socket (and may have reached the server), one that starts at or after it was not.
 * A request is handed to a socket at most once, so none is sent twice.
 *
 * <p>A half-open connection (the peer or a middlebox stopped forwarding but nothing closed) gives
 * no such signal: writes succeed and nothing comes back. {@link Retirement} holds the rule that
 * presumes it half-open and retires it: no new requests, out of its pool, closed once drained, and
 * no request failed because of the guess.
 */
final class Multiplexer implements AnetConnection.Tenant, StagedBatch.Outcome {

	private static final Logger logger = LoggerFactory.getLogger(Multiplexer.class);

	private final Broker broker;

	private final AnetConnection connection;

	/** Plain TCP or TLS: the reader reads it, the holder of the connection writes it. */
	private final Transport channel;

	private final String name;

	private final int maxInFlight;

	private final InFlightTable inFlight;

	/** Used only by the thread that holds the connection. */
	private final FrameWriter writer;

	private final FrameReader reader;

	/** {@link #onFrame}, made once rather than on every read. */
	private final FrameConsumer answers = this::onFrame;

	private final AtomicBoolean failed = new AtomicBoolean();

	/** Whether the connection is retired (presumed half-open, or let go by its pool). */
	private final Retirement retirement = new Retirement(this);

	/** Where requests go that were staged on this connection but not written. */
	/** The broker's queue and writer role: takes back requests staged here but never written. */
	private final Dispatcher dispatcher;

	/**
	 * Whether a completion run by this reader sent a request during the current read batch (set by
	 * the {@link Dispatcher}, on this reader's thread).
	 */
	boolean sentFromReader;

	/** The requests framed into the writer's current batch; writer only. */
	private final StagedBatch batch = new StagedBatch();

	/** Whether settling the current batch gave requests back (so slots were freed); writer only. */
	private boolean gaveBack;

	/** When the current write started, 0 when no write is under way. */
	private volatile long writeStartedNanos;

	/** When bytes were last read from the connection (at first: when this was made). */
	private volatile long lastReadNanos = System.nanoTime();

	/** Whether answer times go to the pool (only its balancing uses them). */
	private final boolean recordAnswerTimes;

	/**
	 * Create the broker's side of a connection.
	 * @param broker the broker
	 * @param connection the connection
	 * @param dispatcher the broker's queue, which takes back requests staged here but never written
	 */
	Multiplexer(Broker broker, AnetConnection connection, Dispatcher dispatcher) {
		this.broker = broker;
		this.connection = connection;
		this.dispatcher = dispatcher;
		this.channel = connection.transport();
		this.name = Addresses.format(connection.address());
		this.maxInFlight = broker.config().maxInFlightPerConnection();
		this.inFlight = new InFlightTable(Math.min(this.maxInFlight, 4096));
		boolean small = broker.config().optimizeMemory();
		this.writer = new FrameWriter(small ? 16 * 1024 : FrameWriter.DEFAULT_BUFFER_SIZE);
		this.reader = small ? new FrameReader(8 * 1024, 8 * 1024) : new FrameReader(FrameReader.DEFAULT_BUFFER_SIZE);
		this.recordAnswerTimes = broker.pools().balancing() == Balancing.LEAST_IN_FLIGHT;
	}

	/** Start the reader thread. */
	void start() {
		Thread thread = this.broker.newThread(this::readLoop, "anet-conn-" + this.name + "-reader");
		thread.start();
	}

	AnetConnection connection() {
		return this.connection;
	}

	/** The address, as the log lines name it. */
	String name() {
		return this.name;
	}

	/** Whether the connection failed (it takes no request from then on). */
	boolean hasFailed() {
		return this.failed.get();
	}

	@Override
	public boolean saturated() {
		return this.inFlight.size() >= this.maxInFlight;
	}

	@Override
	public boolean busy() {
		return this.inFlight.size() > 0;
	}

	/**
	 * Return how many more requests the connection takes now: none once it failed or was retired.
	 * @return the free slots
	 */
	int freeSlots() {
		return accepting() ? this.maxInFlight - this.inFlight.size() : 0;
	}

	@Override
	public int inFlight() {
		return this.inFlight.size();
	}

	/**
	 * Return whether the connection takes new requests: it neither failed nor was retired.
	 * @return whether accepting
	 */
	boolean accepting() {
		return !this.failed.get() && !this.retirement.isRetired();
	}

	/**
	 * Frame a claimed (staged) request into the current batch, writing the batch first if the
	 * request does not fit. Caller holds the connection. A request the connection can no longer
	 * take goes back to the broker's queue.
	 * @return whether the request is in the batch
	 */
	boolean append(Request request) {
		if (!accepting()) {
			giveBack(request);
			return false;
		}
		int taskId;
		do {
			taskId = this.broker.nextTaskId();
		}
		while (!this.inFlight.put(taskId, request));
		request.taskId = taskId;
		request.multiplexer = this;
		if (request.isDone()) {
			// timed out or cancelled while being staged, before it could see this connection
			this.inFlight.remove(taskId, request);
			return false;
		}
		if (!this.writer.fits(request.body.length)) {
			flush();
		}
		if (!accepting()) {
			// the batch write failed, or the connection failed meanwhile: nothing of this one was written
			this.inFlight.remove(taskId, request);
			giveBack(request);
			slotsFreed();
			return false;
		}
		this.writer.append(taskId, request.body);
		this.batch.add(request);
		return true;
	}

	/**
	 * Write the batch, then settle its requests: those whose bytes were handed to the socket are
	 * sent; if the connection fails (now or already), those fail as lost and the others go back to
	 * the queue. Caller holds the connection. Never throws: a write failure fails the connection.
	 */
	void flush() {
		if (this.batch.isEmpty()) {
			return;
		}
		if (!accepting()) {
			this.writer.reset();
			settle(0);
			return;
		}
		this.writeStartedNanos = System.nanoTime() | 1;
		Throwable failure = null;
		try {
			this.writer.flush(this.channel);
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		finally {
			this.writeStartedNanos = 0;
		}
		if (failure == null) {
			settle(Long.MAX_VALUE);
		}
		else {
			logger.debug("Write to {} failed after {} bytes: {}", this.name, this.writer.bytesWritten(), failure.toString());
			fail(failure);
			settle(this.writer.bytesWritten());
		}
	}

	/**
	 * Give up on the batch after an unexpected error while staging: fail the connection, and treat
	 * every request of the batch as written (it may have been), so none is sent twice.
	 * @param cause the error
	 */
	void abort(Throwable cause) {
		fail(cause);
		this.writer.reset();
		settle(Long.MAX_VALUE);
	}

	/** Settle the batch after a write that handed its first {@code handed} bytes to the socket. */
	private void settle(long handed) {
		this.gaveBack = false;
		this.batch.settle(handed, this);
		if (this.gaveBack) {
			slotsFreed();
		}
	}

	/**
	 * A request of the batch was handed to the socket. If the connection failed, it fails here:
	 * {@link #fail} sets {@link #failed} before it looks at the requests (and leaves staged ones
	 * alone), and this marks a request sent before it looks at {@link #failed}, so one of the two
	 * sees the other.
	 */
	@Override
	public void sent(Request request) {
		if (request.markSent() && this.failed.get()) {
			request.fail(lost(this.connection.failure()), RequestOutcome.ERROR);
		}
	}

	/** A request of the batch was not written: back to the queue. */
	@Override
	public void unsent(Request request) {
		this.inFlight.remove(request.taskId, request);
		giveBack(request);
		this.gaveBack = true;
	}

	/** A staged request that was not written goes back to the broker's queue (unless it finished). */
	private void giveBack(Request request) {
		if (request.unstage()) {
			this.dispatcher.requeue(request);
		}
	}

	/** A request that was cancelled or failed while in flight: its answer will be late. */
	void forget(Request request) {
		if (this.inFlight.remove(request.taskId, request)) {
			slotsFreed();
		}
	}

	/**
	 * A request timed out while in flight: forget it; the connection is retired (presumed
	 * half-open) if it is the {@value Retirement#SILENT_TIMEOUTS_BEFORE_RETIRED}th in a row that
	 * heard nothing from it.
	 */
	void timedOut(Request request) {
		if (!this.inFlight.remove(request.taskId, request)) {
			return;
		}
		this.retirement.timedOut(request, this.lastReadNanos);
		slotsFreed();
	}

	/**
	 * The pool let the connection go (its address was removed): no new requests; it closes once
	 * nothing is in flight on it.
	 */
	@Override
	public void retire() {
		this.retirement.retireFromPool();
	}

	/** After requests left the table: close a drained retired connection, or free a parked one. */
	private void slotsFreed() {
		if (this.retirement.isRetired()) {
			this.retirement.closeIfDrained();
		}
		else if (this.connection.isParked() && !saturated()) {
			this.connection.pool().slotFreed(this.connection);
		}
	}

	/**
	 * Close the connection if a write has been blocked longer than the write timeout.
	 * @param nowNanos {@link System#nanoTime()}
	 * @param writeTimeoutNanos the limit
	 */
	void checkWriteStall(long nowNanos, long writeTimeoutNanos) {
		long started = this.writeStartedNanos;
		if (started != 0 && nowNanos - started > writeTimeoutNanos) {
			fail(new IOException("Write to " + this.name + " blocked for more than "
					+ TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms (writeTimeout)"));
		}
	}

	private void readLoop() {
		this.dispatcher.readerStarted(this);
		try {
			while (true) {
				if (this.channel.read(this.reader.buffer()) < 0) {
					throw new EOFException("Connection closed by peer");
				}
				// stamped before the answers are delivered, so that a caller's next request is newer
				this.lastReadNanos = System.nanoTime();
				this.retirement.bytesRead();
				try {
					this.reader.decode(this.answers);
				}
				finally {
					if (this.sentFromReader) {
						// the completions sent requests: they go out together, by the broker's writer
						this.sentFromReader = false;
						this.dispatcher.sentFromReader();
					}
				}
				slotsFreed();
			}
		}
		catch (InvalidFrameException ex) {
			logger.warn("Protocol error on connection to {}: {}; closing it", this.name, ex.getMessage());
			fail(ex);
		}
		catch (ClosedChannelException ex) {
			fail((this.connection.failure() != null) ? this.connection.failure() : ex);
		}
		catch (IOException ex) {
			logger.debug("Connection to {} ended: {}", this.name, ex.toString());
			fail(ex);
		}
		catch (Throwable ex) {
			logger.warn("Reader of connection to {} failed", this.name, ex);
			fail(ex);
		}
		finally {
			this.dispatcher.readerEnded();
		}
	}

	private void onFrame(int taskId, byte[] body) {
		Request request = this.inFlight.remove(taskId);
		if (request != null && this.recordAnswerTimes) {
			long now = this.lastReadNanos;
			this.connection.pool().answered(now, now - request.startNanos);
		}
		if (request == null || !request.succeed(body)) {
			logger.debug("Dropped answer for task {} from {}: nobody waits for it (timed out, cancelled or duplicate)",
					taskId & 0xFFFFFFFFL, this.name);
			this.broker.lateResponse();
		}
	}

	/**
	 * End the connection: from now on it takes no request; close it, fail every request whose
	 * bytes were handed to it, and drop it from the pool. A request still staged is left to its
	 * writer, which requeues it or, if its bytes went out after all, fails it (see {@link #settle}).
	 * Idempotent.
	 * @param cause why
	 */
	void fail(Throwable cause) {
		if (!this.failed.compareAndSet(false, true)) {
			return;
		}
		this.connection.fail(cause);
		List<Request> requests = this.inFlight.drain();
		ConnectionLostException lost = null;
		for (Request request : requests) {
			if (request.state() == Request.STAGED) {
				continue;
			}
			if (lost == null) {
				lost = lost(cause);
			}
			request.fail(lost, RequestOutcome.ERROR);
		}
		this.connection.pool().release(this.connection);
		this.broker.multiplexerEnded(this);
	}

	/** Fail every request in flight with this exception (broker close); a retired connection closes. */
	void failAll(RuntimeException cause) {
		for (Request request : this.inFlight.drain()) {
			request.fail(cause, RequestOutcome.ERROR);
		}
		this.retirement.closeIfDrained();
	}

	private ConnectionLostException lost(Throwable cause) {
		return new ConnectionLostException(this.connection.address(),
				(cause != null) ? cause : new ClosedChannelException());
	}

}
