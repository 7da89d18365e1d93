package dev.anet.broker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.FrameConsumer;
import dev.anet.frame.FrameReader;
import dev.anet.frame.FrameWriter;
import dev.anet.frame.Frames;
import dev.anet.frame.InvalidFrameException;
import dev.anet.pool.Addresses;
import dev.anet.pool.AnetConnection;
import dev.anet.tls.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's side of one connection: the requests in flight on it, the writer used by whoever
 * holds the connection, and the reader thread that completes requests by task id, whatever the
 * order of the answers.
 *
 * <p>When the connection ends (end-of-stream, I/O error, protocol error, write timeout), every
 * request in flight on it fails at once with {@link ConnectionLostException} naming the address
 * and the cause, and the pool forgets the connection.
 *
 * <p>A half-open connection (the peer or a middlebox stopped forwarding but nothing closed) gives
 * no such signal: writes succeed and nothing comes back. So when
 * {@value #SILENT_TIMEOUTS_BEFORE_LOST} requests in a row time out on a connection that sent
 * nothing at all since each of them was accepted, the connection is treated as lost: closed, its
 * other requests failed with {@link ConnectionLostException}, and the pool dials a new one. Any
 * byte read from the connection (an answer, even a late one) starts the count again, so a slow but
 * living server, or a handler that answers nothing now and then, keeps its connection.
 */
final class Multiplexer implements AnetConnection.Tenant {

	/**
	 * In-flight requests that time out in a row, with not a byte read from the connection since
	 * each was accepted, before the connection is treated as lost (half-open).
	 */
	static final int SILENT_TIMEOUTS_BEFORE_LOST = 3;

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

	/** When the current write started, 0 when no write is under way. */
	private volatile long writeStartedNanos;

	/** When bytes were last read from the connection (at first: when this was made). */
	private volatile long lastReadNanos = System.nanoTime();

	/** Requests timed out in a row on a silent connection, see {@link #SILENT_TIMEOUTS_BEFORE_LOST}. */
	private final AtomicInteger silentTimeouts = new AtomicInteger();

	Multiplexer(Broker broker, AnetConnection connection) {
		this.broker = broker;
		this.connection = connection;
		this.channel = connection.transport();
		this.name = Addresses.format(connection.address());
		this.maxInFlight = broker.config().maxInFlightPerConnection();
		this.inFlight = new InFlightTable(Math.min(this.maxInFlight, 4096));
		boolean small = broker.config().optimizeMemory();
		this.writer = new FrameWriter(small ? 16 * 1024 : FrameWriter.DEFAULT_BUFFER_SIZE);
		this.reader = small ? new FrameReader(8 * 1024, 8 * 1024) : new FrameReader(FrameReader.DEFAULT_BUFFER_SIZE);
	}

	/** Start the reader thread. */
	void start() {
		Thread thread = this.broker.newThread(this::readLoop, "anet-conn-" + this.name + "-reader");
		thread.start();
	}

	AnetConnection connection() {
		return this.connection;
	}

	@Override
	public boolean saturated() {
		return this.inFlight.size() >= this.maxInFlight;
	}

	@Override
	public boolean busy() {
		return this.inFlight.size() > 0;
	}

	int freeSlots() {
		return this.maxInFlight - this.inFlight.size();
	}

	int inFlight() {
		return this.inFlight.size();
	}

	/**
	 * Frame a claimed request into the current batch, flushing first if the batch is full.
	 * Caller holds the connection.
	 * @return whether the request was registered (false if the connection already failed)
	 */
	boolean append(Request request) throws IOException {
		request.multiplexer = this;
		int taskId;
		do {
			taskId = this.broker.nextTaskId();
		}
		while (!this.inFlight.put(taskId, request));
		request.taskId = taskId;
		if (this.failed.get()) {
			// lost the race with the reader's failure: fail it here, nobody else will
			this.inFlight.remove(taskId, request);
			request.fail(lost(this.connection.failure()), RequestOutcome.ERROR);
			return false;
		}
		if (!this.writer.fits(request.body.length)) {
			flush();
		}
		this.writer.append(taskId, request.body);
		return true;
	}

	/** Write the batch. Caller holds the connection. */
	void flush() throws IOException {
		if (this.writer.pendingFrames() == 0) {
			return;
		}
		this.writeStartedNanos = System.nanoTime() | 1;
		try {
			this.writer.flush(this.channel);
		}
		finally {
			this.writeStartedNanos = 0;
		}
	}

	/** Drop a batch that could not be written. Caller holds the connection. */
	void discardBatch() {
		this.writer.reset();
	}

	/** A request that was cancelled or failed while in flight: its answer will be late. */
	void forget(Request request) {
		if (this.inFlight.remove(request.taskId, request)) {
			slotsFreed();
		}
	}

	/**
	 * A request timed out while in flight: forget it, and treat the connection as lost if it is the
	 * {@value #SILENT_TIMEOUTS_BEFORE_LOST}th in a row that heard nothing from it.
	 */
	void timedOut(Request request) {
		if (!this.inFlight.remove(request.taskId, request)) {
			return;
		}
		if (this.lastReadNanos - request.startNanos > 0) {
			// the connection spoke since the request was accepted: alive, only slow
			this.silentTimeouts.set(0);
		}
		else if (this.silentTimeouts.incrementAndGet() >= SILENT_TIMEOUTS_BEFORE_LOST) {
			logger.warn("Connection to {} sent nothing while {} requests in a row timed out; presumed half-open, "
					+ "closing it", this.name, SILENT_TIMEOUTS_BEFORE_LOST);
			fail(new IOException("No answer from " + this.name + " while " + SILENT_TIMEOUTS_BEFORE_LOST
					+ " requests in a row timed out (the last after "
					+ TimeUnit.NANOSECONDS.toMillis(request.timeoutNanos) + " ms); connection presumed half-open"));
			return;
		}
		slotsFreed();
	}

	/** After requests left the table: hand a parked (saturated) connection back to the pool. */
	private void slotsFreed() {
		if (this.connection.isParked() && !saturated()) {
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
		try {
			while (true) {
				if (this.channel.read(this.reader.buffer()) < 0) {
					throw new EOFException("Connection closed by peer");
				}
				// stamped before the answers are delivered, so that a caller's next request is newer
				this.lastReadNanos = System.nanoTime();
				if (this.silentTimeouts.get() != 0) {
					this.silentTimeouts.set(0);
				}
				this.reader.decode(this.answers);
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
	}

	private void onFrame(int taskId, byte[] body) {
		Request request = this.inFlight.remove(taskId);
		if (request == null || !request.succeed(body)) {
			logger.debug("Dropped answer for task {} from {}: nobody waits for it (timed out, cancelled or duplicate)",
					taskId & 0xFFFFFFFFL, this.name);
			this.broker.lateResponse();
		}
	}

	/**
	 * End the connection: close it, fail every request in flight on it, and drop it from the pool.
	 * Idempotent.
	 * @param cause why
	 */
	void fail(Throwable cause) {
		if (!this.failed.compareAndSet(false, true)) {
			return;
		}
		this.connection.fail(cause);
		List<Request> requests = this.inFlight.drain();
		if (!requests.isEmpty()) {
			ConnectionLostException lost = lost(cause);
			for (Request request : requests) {
				request.fail(lost, RequestOutcome.ERROR);
			}
		}
		this.connection.pool().release(this.connection);
		this.broker.multiplexerEnded(this);
	}

	/** Fail every request in flight with this exception, keeping the connection (broker close). */
	void failAll(RuntimeException cause) {
		for (Request request : this.inFlight.drain()) {
			request.fail(cause, RequestOutcome.ERROR);
		}
	}

	boolean hasFailed() {
		return this.failed.get();
	}

	private ConnectionLostException lost(Throwable cause) {
		return new ConnectionLostException(this.connection.address(),
				(cause != null) ? cause : new ClosedChannelException());
	}

}
