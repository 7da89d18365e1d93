package dev.anet.server;

import java.io.IOException;
import java.util.Arrays;

import dev.anet.frame.FrameConsumer;
import dev.anet.frame.FrameReader;
import dev.anet.frame.Frames;
import dev.anet.frame.InvalidFrameException;
import dev.anet.tls.TlsConfig;
import dev.anet.tls.TlsTransport;
import dev.anet.tls.Transport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of one {@link Connection} ({@code anet-conn-<addr>-reader}): read, split the bytes
 * into frames, and start the request of each frame; then write the answers of the handlers it ran
 * itself, in one write. Over TLS the handshake runs here first, never on the accept thread.
 *
 * <pre>
 *   read ──► frames ──► per frame: take a write slot ──► take a handler permit ──► Dispatcher
 *        ──► write the answers of the handlers run here, in one write ──► read
 * </pre>
 *
 * <p>
 * <b>When the connection stops being read.</b> Decided here, in {@link #take}: when all of the
 * connection's write slots ({@code writeQueueDepth}) are taken, or all of the server's handler
 * permits ({@code maxConcurrentHandlers}), the reader writes the answers it holds and waits for
 * one; it neither dispatches nor reads meanwhile. Other connections are not affected. It stops for
 * good at the end of input (the connection then closes after its last answer), when the server
 * stops (frames that arrive are dropped), and when the connection closes.
 *
 * <p>
 * One thread holds the reader role at a time: the connection's reader thread, or, once the
 * {@link InlineMonitor} took the role from a reader whose handler ran too long, a new reader
 * thread that goes on with the rest of the read. Everything here but the volatile fields belongs to
 * the thread that holds the role; starting the new thread hands it over.
 *
 * <p>
 * <b>Slow senders.</b> When a read ends in part of a frame, the slow-sender clock
 * ({@link Connection#partialFrameSince()}, enforced by the {@link Watchdog} as {@code readTimeout})
 * starts once the reader has processed the complete frames before it. The time the reader spends
 * waiting for write slots or handler permits (its own backpressure) or running handlers never
 * counts against the peer.
 */
final class ConnectionReader implements Runnable, FrameConsumer, InlineRole.Reader {

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

	private final Dispatcher dispatcher;

	private final ServerListener listener;

	private final Draining draining;

	private final ServerThreads threads;

	private final @Nullable TlsConfig tls;

	private final FrameReader reader = new FrameReader(READ_BUFFER_SIZE, MAX_READ_BUFFER_SIZE);

	/** Whether the connection's handlers may run here, and the hold on one that does. */
	private final InlineRole inline;

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

	/**
	 * Create the reader of a connection.
	 * @param connection the connection
	 * @param dispatcher where its requests run
	 * @param listener told of invalid frames and of the TLS handshake
	 * @param draining whether the server stops
	 * @param threads makes the thread that takes over from a reader whose handler runs too long
	 * @param tls the server's TLS configuration, or {@code null} for plain TCP
	 */
	ConnectionReader(Connection connection, Dispatcher dispatcher, ServerListener listener, Draining draining,
			ServerThreads threads, @Nullable TlsConfig tls) {
		this.connection = connection;
		this.channel = connection.transport();
		this.dispatcher = dispatcher;
		this.listener = listener;
		this.draining = draining;
		this.threads = threads;
		this.tls = tls;
		this.inline = new InlineRole(dispatcher.inlineMonitor(), this);
	}

	/**
	 * The reader loop: runs on the connection's own thread until the connection ends.
	 */
	@Override
	public void run() {
		this.connection.readBy(Thread.currentThread());
		if (this.tls != null && this.channel instanceof TlsTransport transport
				&& !ServerTls.handshake(this.connection.remoteAddress(), transport, this.tls, this.listener, this.draining)) {
			this.connection.close();
			return;
		}
		readLoop(false);
	}

	/**
	 * Take over the reader role from a thread whose handler runs too long: write the answers that
	 * wait, process the rest of its read, then go on reading.
	 */
	private void resume() {
		this.connection.readBy(Thread.currentThread());
		readLoop(true);
	}

	private void readLoop(boolean resumed) {
		try {
			if (resumed) {
				this.connection.writer().drain();
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
					this.connection.inputEnded();
					return;
				}
				long now = System.nanoTime();
				this.readNanos = now;
				this.clock = now;
				this.connection.active(now);
				if (this.framesInRead == 0) {
					// only part of a frame: the clock runs from its first bytes
					if (this.connection.partialFrameSince() == Connection.NONE && partialInput()) {
						this.connection.partialFrameSince(now);
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
			this.listener.invalidFrame(this.connection, ex.length());
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
		this.connection.partialFrameSince(partialInput() ? clock() : Connection.NONE);
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
			this.connection.partialFrameSince(Connection.NONE);
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
	 * Start the request of every frame of the read: each waits for a write slot and a handler
	 * permit, then goes to the {@link Dispatcher}. While the server stops, frames are dropped. The
	 * answers of handlers run here go out in one write at the end.
	 * @return whether this thread still holds the reader role (else it must return at once)
	 */
	private boolean processPending() {
		Permits permits = this.dispatcher.permits();
		while (this.pendingIndex < this.pendingCount && !this.connection.isClosed()) {
			int i = this.pendingIndex++;
			int taskId = this.pendingIds[i];
			byte[] body = this.pendingBodies[i];
			this.pendingBodies[i] = null;
			if (this.draining.isStopping()) {
				continue;
			}
			take(this.connection.writeSlots());
			take(permits);
			if (this.draining.isStopping()) {
				permits.give(1);
				this.draining.changed();
				this.connection.requestDone();
				continue;
			}
			switch (this.dispatcher.dispatch(this.connection, this.inline, taskId, body, this.readNanos, this.clock)) {
				case Dispatcher.RAN_ON_READER -> this.clock = this.inline.inlineEnded();
				case Dispatcher.LOST_READER -> {
					return false;
				}
				default -> this.clock = Connection.NONE;
			}
		}
		this.connection.writer().drain();
		return true;
	}

	/**
	 * Take a permit: at once if one is free, else after writing the answers the reader holds (those
	 * of handlers it ran itself, which may be what holds the permits), waiting for one.
	 * @param permits the connection's write slots, or the server's handler permits
	 * @throws ReaderInterruptedException if interrupted while waiting (the connection closes)
	 */
	private void take(Permits permits) {
		if (permits.tryTake()) {
			return;
		}
		this.clock = Connection.NONE;
		this.connection.writer().drain();
		try {
			permits.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReaderInterruptedException();
		}
	}

	/**
	 * Return when the reader's last step ended, read the clock if that is not known.
	 * @return a {@link System#nanoTime()} value
	 */
	private long clock() {
		long known = this.clock;
		return (known != Connection.NONE) ? known : System.nanoTime();
	}

	@Override
	public @Nullable Thread thread() {
		return this.connection.reader();
	}

	@Override
	public boolean isClosed() {
		return this.connection.isClosed();
	}

	/**
	 * Called by the {@link InlineMonitor} (through {@link InlineRole}): a new thread takes over the
	 * reader role from one whose handler runs too long.
	 */
	@Override
	public void takeOver() {
		try {
			this.threads.newThread(this.connection.readerThreadName(), true, this::resume).start();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Could not start a reader thread for anet connection {}; closing it",
					this.connection.remoteAddress(), ex);
			this.connection.close();
		}
	}

	@Override
	public String toString() {
		return "anet connection " + this.connection.remoteAddress();
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
