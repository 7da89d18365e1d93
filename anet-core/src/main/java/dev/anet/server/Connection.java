package dev.anet.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.FrameConsumer;
import dev.anet.frame.FrameReader;
import dev.anet.frame.Frames;
import dev.anet.frame.InvalidFrameException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: its reader loop, its answer writer, its timing for the
 * {@link Watchdog}, and its close.
 *
 * <pre>
 *   reader thread:  read ──► frame ──► take a write slot ──► take a handler permit ──► executor
 *   handler thread: handle ──► give the permit back ──► queue answer ──► write (maybe) ──► give the slot back
 * </pre>
 *
 * <p>
 * <b>Backpressure.</b> A connection has {@code writeQueueDepth} write slots. The reader takes one
 * per request before it dispatches it and the slot comes back once the request's answer is written
 * (or once the handler finished without an answer). So the slots count the requests of this
 * connection that are running <em>or</em> whose answers wait to be written; when they are all
 * taken the reader stops (it neither dispatches nor reads) until one comes back. Other connections
 * are not affected.
 *
 * <p>
 * <b>End of input.</b> When the peer half-closes, or {@link #shutdownInput()} is called by a
 * stopping server, the reader ends and the connection closes itself as soon as its last answer is
 * written.
 */
final class Connection implements ServerConnection, FrameConsumer {

	/** Marks "no time" in the timing fields. */
	static final long NONE = Long.MIN_VALUE;

	/**
	 * Starting size of a connection's read buffer: room for many small frames per read; it grows for
	 * a frame that does not fit and shrinks back afterwards, so that a server holding 10,000 quiet
	 * connections does not hold 64 KiB of direct memory for each.
	 */
	private static final int READ_BUFFER_SIZE = 16 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final long id;

	private final SocketChannel channel;

	private final InetSocketAddress remoteAddress;

	private final InetSocketAddress localAddress;

	private final AnetServer server;

	private final int writeQueueDepth;

	private final Semaphore writeSlots;

	private final AnswerWriter writer;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Requests handed to the executor whose handler has not started yet. */
	private final AtomicInteger notStarted = new AtomicInteger();

	private volatile @Nullable Thread readerThread;

	private volatile boolean inputEnded;

	/** Last time bytes were read or answers written ({@link System#nanoTime()}). */
	private volatile long lastActivity;

	/** When the first bytes of the incomplete frame in the read buffer arrived, or {@link #NONE}. */
	private volatile long partialFrameSince = NONE;

	/** Frames delivered by the current read; reader thread only. */
	private int framesInRead;

	Connection(long id, SocketChannel channel, InetSocketAddress remoteAddress, InetSocketAddress localAddress,
			AnetServer server, int writeQueueDepth) {
		this.id = id;
		this.channel = channel;
		this.remoteAddress = remoteAddress;
		this.localAddress = localAddress;
		this.server = server;
		this.writeQueueDepth = writeQueueDepth;
		this.writeSlots = new Semaphore(writeQueueDepth);
		this.writer = new AnswerWriter(this, channel, server.writers());
		this.lastActivity = System.nanoTime();
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value != null) {
			this.attributes.put(name, value);
		}
		else {
			this.attributes.remove(name);
		}
	}

	/**
	 * The reader loop: runs on the connection's own thread until the connection ends.
	 */
	void serve() {
		this.readerThread = Thread.currentThread();
		try {
			FrameReader reader = new FrameReader(READ_BUFFER_SIZE);
			while (!this.closed.get()) {
				this.framesInRead = 0;
				if (reader.read(this.channel, this) < 0) {
					inputEnded();
					return;
				}
				long now = System.nanoTime();
				this.lastActivity = now;
				if (!reader.hasPartialFrame()) {
					this.partialFrameSince = NONE;
				}
				else if (this.framesInRead > 0 || this.partialFrameSince == NONE) {
					this.partialFrameSince = now;
				}
			}
		}
		catch (InvalidFrameException ex) {
			this.server.listener().invalidFrame(this, ex.length());
			logger.warn("Closing anet connection from {}: {}", this.remoteAddress, ex.getMessage());
			close();
		}
		catch (ReaderInterruptedException ex) {
			close();
		}
		catch (IOException ex) {
			if (!this.closed.get()) {
				logger.debug("Read from anet connection {} failed; closing it", this.remoteAddress, ex);
			}
			close();
		}
		catch (RuntimeException ex) {
			logger.error("Reader of anet connection {} failed; closing it", this.remoteAddress, ex);
			close();
		}
		catch (Error ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Called by the {@link FrameReader} on the reader thread for every complete frame: waits for a
	 * write slot and a handler permit, then hands the request to the executor. While the server
	 * stops, frames are dropped.
	 */
	@Override
	public void onFrame(int taskId, byte[] body) {
		if (this.framesInRead++ == 0) {
			// the partial frame (if any) is complete; waiting for slots is not a slow peer
			this.partialFrameSince = NONE;
		}
		if (this.server.isStopping()) {
			return;
		}
		long arrival = System.nanoTime();
		try {
			this.writeSlots.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReaderInterruptedException();
		}
		if (!this.server.dispatch(this, taskId, body, arrival)) {
			requestDone();
		}
	}

	/**
	 * Queue a request's answer.
	 * @param task the request, with its answer set
	 * @return whether it was queued ({@link #writeAnswers()} then writes it); {@code false} if the
	 * connection is closed
	 */
	boolean enqueue(RequestTask task) {
		if (this.closed.get()) {
			requestDone();
			return false;
		}
		this.writer.enqueue(task);
		return true;
	}

	/**
	 * A request of this connection is handed to the executor.
	 */
	void handlerQueued() {
		this.notStarted.incrementAndGet();
	}

	/**
	 * A handler of this connection starts (or its request was refused by the executor). The last
	 * one of a burst writes the answers that waited for it, before its handler runs.
	 */
	void handlerStarting() {
		if (this.notStarted.decrementAndGet() == 0) {
			this.writer.drain();
		}
	}

	/**
	 * Write the queued answers, or leave them to the thread that is writing, or to a request of this
	 * connection that waits for a handler thread and will write them when it starts or ends: so the
	 * answers of a burst of quick requests go out in one write, and an answer never waits for a
	 * handler that runs.
	 */
	void writeAnswers() {
		if (this.notStarted.get() == 0) {
			this.writer.drain();
		}
	}

	/**
	 * A request ended without an answer to write: its write slot comes back.
	 */
	void requestDone() {
		releaseSlots(1);
	}

	/**
	 * Answers were written: their write slots come back.
	 * @param count how many
	 */
	void answersWritten(int count) {
		this.lastActivity = System.nanoTime();
		releaseSlots(count);
	}

	/**
	 * A write failed: the connection is closed.
	 * @param ex the failure
	 */
	void writeFailed(IOException ex) {
		if (!this.closed.get()) {
			logger.debug("Write to anet connection {} failed; closing it", this.remoteAddress, ex);
		}
		close();
	}

	/**
	 * Return the requests of this connection that run or whose answers wait to be written.
	 * @return the count
	 */
	int inFlight() {
		return this.writeQueueDepth - this.writeSlots.availablePermits();
	}

	long lastActivity() {
		return this.lastActivity;
	}

	long partialFrameSince() {
		return this.partialFrameSince;
	}

	long writeStarted() {
		return this.writer.writeStarted();
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Stop reading (the server stops): the blocked reader sees end of input, and the connection
	 * closes once its running requests are answered.
	 */
	void shutdownInput() {
		try {
			this.channel.shutdownInput();
		}
		catch (IOException ex) {
			logger.debug("Could not shut down input of anet connection {}", this.remoteAddress, ex);
		}
	}

	/**
	 * Close the connection (idempotent): the channel is closed, which wakes a blocked reader or
	 * writer, queued answers are dropped, and the server forgets it.
	 */
	void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close anet connection {}", this.remoteAddress, ex);
		}
		Thread reader = this.readerThread;
		if (reader != null && reader != Thread.currentThread()) {
			// wakes a reader that waits for a write slot or a handler permit
			reader.interrupt();
		}
		this.writer.discard();
		this.server.connectionClosed(this);
	}

	private void inputEnded() {
		this.partialFrameSince = NONE;
		this.inputEnded = true;
		if (inFlight() == 0) {
			close();
		}
	}

	private void releaseSlots(int count) {
		this.writeSlots.release(count);
		if (this.inputEnded && inFlight() == 0) {
			close();
		}
	}

	@Override
	public String toString() {
		return "ServerConnection[id=" + this.id + ", remote=" + this.remoteAddress + "]";
	}

	/**
	 * The reader was interrupted while it waited to dispatch: the connection is closing.
	 */
	static final class ReaderInterruptedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ReaderInterruptedException() {
			super("anet connection reader interrupted", null, false, false);
		}

	}

}
