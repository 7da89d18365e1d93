package dev.anet.server;

import java.io.IOException;
import java.util.Arrays;

import dev.anet.frame.FrameConsumer;
import dev.anet.frame.FrameReader;
import dev.anet.frame.Frames;
import dev.anet.frame.InvalidFrameException;
import dev.anet.tls.Transport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader role of one {@link Connection}: read, split the bytes into frames, and start the
 * request of each frame, on the handler threads or (quick handlers, see {@link InlineRole}) on the
 * reader itself; then write the answers of the handlers it ran, in one write.
 *
 * <pre>
 *   read ──► frames ──► per frame: take a write slot ──► take a handler permit ──► handler thread
 *                                                                             └──► or run it here
 *        ──► write the answers of the handlers run here, in one write ──► read
 * </pre>
 *
 * <p>
 * One thread holds the role at a time: the connection's reader thread, or, once the
 * {@link InlineMonitor} took the role from a reader whose handler ran too long, a new reader
 * thread that goes on with the rest of the read. Everything here but the volatile fields belongs to
 * the thread that holds the role; starting the new thread hands it over.
 *
 * <p>
 * <b>Slow senders.</b> When a read ends in part of a frame, the slow-sender clock
 * ({@link #partialFrameSince()}, enforced by the {@link Watchdog} as {@code readTimeout}) starts
 * once the reader has processed the complete frames before it. The time the reader spends waiting
 * for write slots or handler permits (its own backpressure) or running handlers never counts
 * against the peer.
 */
final class ConnectionReader implements FrameConsumer {

	/**
	 * Starting size of a connection's read buffer: room for many small frames per read; it grows for
	 * a frame that does not fit, or while reads fill it (a busy connection then reads many frames per
	 * system call), and shrinks back afterwards, so that a server holding 10,000 quiet connections
	 * does not hold 64 KiB of direct memory for each.
	 */
	private static final int READ_BUFFER_SIZE = 16 * 1024;

	/** The largest a busy connection's read buffer grows: one of the largest frames. */
	private static final int MAX_READ_BUFFER_SIZE = Frames.MAX_FRAME_SIZE;

	private static final Logger logger = LoggerFactory.getLogger(ConnectionReader.class);

	private final Connection connection;

	private final Transport channel;

	private final AnetServer server;

	private final FrameReader reader = new FrameReader(READ_BUFFER_SIZE, MAX_READ_BUFFER_SIZE);

	/** Where the connection's handlers run, and the reader's hold on one it runs itself. */
	private final InlineRole inline;

	private volatile @Nullable Thread thread;

	/** When the first bytes of the incomplete frame in the read buffer arrived, or {@link Connection#NONE}. */
	private volatile long partialFrameSince = Connection.NONE;

	/** Frames delivered by the current read. */
	private int framesInRead;

	/** The frames of the current read, in order, and the next one to process. */
	private int[] pendingIds = new int[16];

	private byte[][] pendingBodies = new byte[16][];

	private int pendingCount;

	private int pendingIndex;

	/** When the current read returned. */
	private long readNanos;

	/**
	 * When the reader's last step ended (the read, or the last handler it ran), so the next handler
	 * it runs needs no clock reading of its own; {@link Connection#NONE} after anything that may
	 * have waited.
	 */
	private long clock = Connection.NONE;

	ConnectionReader(Connection connection, Transport channel, AnetServer server) {
		this.connection = connection;
		this.channel = channel;
		this.server = server;
		this.inline = new InlineRole(connection, server.dispatcher().inlineMonitor());
	}

	/**
	 * The reader loop: runs on the connection's own thread until the connection ends.
	 */
	void serve() {
		this.thread = Thread.currentThread();
		readLoop(false);
	}

	/**
	 * Take over the reader role from a thread whose handler runs too long: write the answers that
	 * wait, process the rest of its read, then go on reading.
	 */
	private void resume() {
		this.thread = Thread.currentThread();
		readLoop(true);
	}

	private void readLoop(boolean resumed) {
		try {
			if (resumed) {
				this.connection.writeHeldAnswers();
				if (!processPending()) {
					return;
				}
				startSlowSenderClock();
			}
			while (!this.connection.isClosed()) {
				this.framesInRead = 0;
				this.pendingCount = 0;
				this.pendingIndex = 0;
				if (this.reader.read(this.channel, this) < 0) {
					this.partialFrameSince = Connection.NONE;
					this.connection.inputEnded();
					return;
				}
				long now = System.nanoTime();
				this.readNanos = now;
				this.clock = now;
				this.connection.active(now);
				if (this.framesInRead == 0) {
					// only part of a frame: the clock runs from its first bytes
					if (this.partialFrameSince == Connection.NONE && partialInput()) {
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
			this.server.listener().invalidFrame(this.connection, ex.length());
			logger.warn("Closing anet connection from {}: {}", this.connection.remoteAddress(), ex.getMessage());
			this.connection.close();
		}
		catch (ReaderInterruptedException ex) {
			this.connection.close();
		}
		catch (IOException ex) {
			if (!this.connection.isClosed()) {
				logger.debug("Read from anet connection {} failed; closing it", this.connection.remoteAddress(), ex);
			}
			this.connection.close();
		}
		catch (RuntimeException ex) {
			logger.error("Reader of anet connection {} failed; closing it", this.connection.remoteAddress(), ex);
			this.connection.close();
		}
		catch (Error ex) {
			this.connection.close();
			throw ex;
		}
	}

	/**
	 * The frames of a read are processed: if it ended in part of a frame, the slow-sender clock
	 * starts now.
	 */
	private void startSlowSenderClock() {
		this.partialFrameSince = partialInput() ? clock() : Connection.NONE;
	}

	/** Part of a frame, or (TLS) part of a record, waits for the rest. */
	private boolean partialInput() {
		return this.reader.hasPartialFrame() || this.channel.hasPartialInput();
	}

	/**
	 * Called by the {@link FrameReader} for every complete frame: keeps it for
	 * {@link #processPending()}.
	 */
	@Override
	public void onFrame(int taskId, byte[] body) {
		if (this.framesInRead++ == 0) {
			// the partial frame (if any) is complete; waiting for slots is not a slow peer
			this.partialFrameSince = Connection.NONE;
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
	 * reader thread (a quick handler, see {@link InlineRole}) or goes to the handler threads. While
	 * the server stops, frames are dropped. The answers of handlers run here go out in one write at
	 * the end.
	 * @return whether this thread still holds the reader role (else it must return at once)
	 */
	private boolean processPending() {
		while (this.pendingIndex < this.pendingCount && !this.connection.isClosed()) {
			int i = this.pendingIndex++;
			int taskId = this.pendingIds[i];
			byte[] body = this.pendingBodies[i];
			this.pendingBodies[i] = null;
			if (this.server.isStopping()) {
				continue;
			}
			if (this.connection.acquireWriteSlot()) {
				this.clock = Connection.NONE;
			}
			if (this.inline.allowed()) {
				switch (this.server.dispatcher().runInline(this.connection, taskId, body, this.readNanos)) {
					case HandlerDispatcher.INLINE_REFUSED -> this.connection.requestDone();
					case HandlerDispatcher.INLINE_LOST_READER -> {
						return false;
					}
					default -> {
					}
				}
			}
			else {
				this.clock = Connection.NONE;
				if (!this.server.dispatcher().dispatch(this.connection, taskId, body, this.readNanos)) {
					this.connection.requestDone();
				}
			}
		}
		this.connection.writeHeldAnswers();
		return true;
	}

	InlineRole inlineRole() {
		return this.inline;
	}

	/**
	 * Return when the reader's last step ended, read the clock if that is not known.
	 * @return a {@link System#nanoTime()} value
	 */
	long clock() {
		long known = this.clock;
		return (known != Connection.NONE) ? known : System.nanoTime();
	}

	/**
	 * A handler the reader ran ended at this time.
	 * @param endNanos when
	 */
	void handlerEnded(long endNanos) {
		this.clock = endNanos;
	}

	/**
	 * Called by the {@link InlineMonitor} (through {@link InlineRole}): a new thread takes over the
	 * reader role from one whose handler runs too long.
	 */
	void startNewThread() {
		try {
			this.server.threads().newThread(this.connection.readerThreadName(), true, this::resume).start();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Could not start a reader thread for anet connection {}; closing it",
					this.connection.remoteAddress(), ex);
			this.connection.close();
		}
	}

	/**
	 * Return the thread that holds the reader role.
	 * @return the thread, or {@code null} before it started
	 */
	@Nullable Thread thread() {
		return this.thread;
	}

	long partialFrameSince() {
		return this.partialFrameSince;
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
