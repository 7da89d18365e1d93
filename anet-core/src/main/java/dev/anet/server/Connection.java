package dev.anet.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
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
 *   reader thread:  read ──► frames ──► per frame: take a write slot ──► take a handler permit ──► executor
 *                                                                      └──► or run it here (quick handlers)
 *                   ──► write the answers of the handlers it ran, in one write
 *   handler thread: handle ──► give the permit back ──► queue answer ──► write (maybe) ──► give the slot back
 * </pre>
 *
 * <p>
 * <b>Quick handlers on the reader.</b> Once the connection's handlers have been quick (a score:
 * +1 for a handler under 50 µs, -8 for a slower one, at least 16), the reader runs the next ones
 * itself (when the server uses its own handler pool). If one waits longer than a millisecond (or
 * runs longer than 10 ms), the {@link InlineMonitor} hands the reader role (the rest of the read, and the reading) to a new
 * reader thread; the old one finishes its handler, writes the answer and ends. The connection then uses the pool until its handlers are quick again.
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

	/** The read buffer; used by whichever thread holds the reader role. */
	private final FrameReader reader = new FrameReader(READ_BUFFER_SIZE);

	/** The frames of the current read, in order, and the next one to process; reader role only. */
	private int[] pendingIds = new int[16];

	private byte[][] pendingBodies = new byte[16][];

	private int pendingCount;

	private int pendingIndex;

	/** When the current read returned; reader role only. */
	private long readNanos;

	/**
	 * When the reader's last step ended (the read, or the last handler it ran), so the next handler
	 * it runs needs no clock reading of its own; {@link #NONE} after anything that may have waited.
	 * Reader role only.
	 */
	private long inlineClock = NONE;

	/** Where this connection's handlers run, and the reader's hold on one it runs itself. */
	private final InlineRole inline;

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
		this.inline = new InlineRole(this, server.inlineMonitor());
	}

	/**
	 * Return the name of the connection's reader thread.
	 * @return {@code anet-conn-<host>:<port>-reader}
	 */
	String readerThreadName() {
		return "anet-conn-" + this.remoteAddress.getHostString() + ":" + this.remoteAddress.getPort() + "-reader";
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
		readLoop(false);
	}

	/**
	 * Take over the reader role from a thread whose handler runs too long: write the answers that
	 * wait, process the rest of its read, then go on reading.
	 */
	private void resume() {
		this.readerThread = Thread.currentThread();
		readLoop(true);
	}

	private void readLoop(boolean resumed) {
		try {
			if (resumed) {
				this.writer.drain();
				if (!processPending()) {
					return;
				}
				startSlowSenderClock();
			}
			while (!this.closed.get()) {
				this.framesInRead = 0;
				this.pendingCount = 0;
				this.pendingIndex = 0;
				if (this.reader.read(this.channel, this) < 0) {
					inputEnded();
					return;
				}
				long now = System.nanoTime();
				this.readNanos = now;
				this.inlineClock = now;
				this.lastActivity = now;
				if (this.framesInRead == 0) {
					// only part of a frame: the clock runs from its first bytes
					if (this.partialFrameSince == NONE && this.reader.hasPartialFrame()) {
						this.partialFrameSince = now;
					}
					continue;
				}
				if (!processPending()) {
					return;
				}
				startSlowSenderClock();
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
	 * The frames of a read are processed: if it ended in part of a frame, the slow-sender clock
	 * starts now, so the time the reader spent waiting for write slots and handler permits (its own
	 * backpressure) or running handlers never counts against the peer.
	 */
	private void startSlowSenderClock() {
		this.partialFrameSince = this.reader.hasPartialFrame() ? inlineClock() : NONE;
	}

	/**
	 * Called by the {@link FrameReader} on the reader thread for every complete frame: keeps it
	 * for {@link #processPending()}.
	 */
	@Override
	public void onFrame(int taskId, byte[] body) {
		if (this.framesInRead++ == 0) {
			// the partial frame (if any) is complete; waiting for slots is not a slow peer
			this.partialFrameSince = NONE;
		}
		int n = this.pendingCount;
		if (n == this.pendingIds.length) {
			this.pendingIds = Arrays.copyOf(this.pendingIds, n * 2);
			this.pendingBodies = Arrays.copyOf(this.pendingBodies, n * 2);
		}
		this.pendingIds[n] = taskId;
		this.pendingBodies[n] = body;
		this.pendingCount = n + 1;
	}

	/**
	 * Start the request of every frame of the read: each waits for a write slot, then runs on the
	 * reader thread (a quick handler, see {@link InlineRole})) or goes to the executor. While
	 * the server stops, frames are dropped. The answers of handlers run here go out in one write at
	 * the end.
	 * @return whether this thread still holds the reader role (else it must return at once)
	 */
	private boolean processPending() {
		while (this.pendingIndex < this.pendingCount && !this.closed.get()) {
			int i = this.pendingIndex++;
			int taskId = this.pendingIds[i];
			byte[] body = this.pendingBodies[i];
			this.pendingBodies[i] = null;
			if (this.server.isStopping()) {
				continue;
			}
			if (!this.writeSlots.tryAcquire()) {
				// the answers that hold the slots may be ours, waiting for the end of the batch
				writeAnswersBeforeWait();
				try {
					this.writeSlots.acquire();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new ReaderInterruptedException();
				}
				this.inlineClock = NONE;
			}
			if (this.inline.allowed()) {
				switch (this.server.runInline(this, taskId, body, this.readNanos)) {
					case AnetServer.INLINE_REFUSED -> requestDone();
					case AnetServer.INLINE_LOST_READER -> {
						return false;
					}
					default -> {
					}
				}
			}
			else {
				this.inlineClock = NONE;
				if (!this.server.dispatch(this, taskId, body, this.readNanos)) {
					requestDone();
				}
			}
		}
		this.writer.drain();
		return true;
	}

	/**
	 * The reader is about to wait (for a write slot or a handler permit): it first writes the
	 * answers of the handlers it ran, which would otherwise wait for the end of its read.
	 */
	void writeAnswersBeforeWait() {
		this.writer.drain();
	}

	/**
	 * Return where this connection's handlers run.
	 * @return its inline role
	 */
	InlineRole inlineRole() {
		return this.inline;
	}

	/**
	 * Return when the reader's last step ended, read the clock if that is not known.
	 * @return a {@link System#nanoTime()} value
	 */
	long inlineClock() {
		long clock = this.inlineClock;
		return (clock != NONE) ? clock : System.nanoTime();
	}

	/**
	 * A handler the reader ran ended at this time.
	 * @param endNanos when
	 */
	void inlineClock(long endNanos) {
		this.inlineClock = endNanos;
	}

	/**
	 * The reader's handler ran so long that a new reader took over: this thread, now only a
	 * handler thread, writes its answer with the others that wait.
	 */
	void lostReaderRole() {
		this.writer.drain();
	}

	/**
	 * Called by the {@link InlineMonitor} (through {@link InlineRole}): a new thread takes over the
	 * reader role from one whose handler runs too long.
	 */
	void startNewReader() {
		try {
			this.server.threads().newThread(readerThreadName(), true, this::resume).start();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Could not start a reader thread for anet connection {}; closing it", this.remoteAddress, ex);
			close();
		}
	}

	@Nullable Thread readerThread() {
		return this.readerThread;
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
