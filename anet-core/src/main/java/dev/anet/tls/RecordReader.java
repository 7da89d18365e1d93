package dev.anet.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The reading half of an {@link EngineRecords}: reads records from the channel and unwraps them.
 *
 * <pre>
 *   socket ──one read──► netIn [record][record][part..] ──unwrap each──► caller's buffer
 *                                                        └─ a record that does not fit: appIn, then the caller's buffer
 * </pre>
 *
 * A {@link #read} makes at most one system call and unwraps every complete record it holds into
 * the caller's buffer, so the framing above decodes every frame that one read brought. The record
 * buffer is a heap buffer: the JDK's AES-GCM allocates 2.8 KB per record from a heap buffer and
 * 3.2–7 KB from a direct one (it copies a direct buffer through arrays); the caller's buffer may
 * be either. Not thread-safe: one reader at a time (the handshake, then the connection's reader).
 */
final class RecordReader {

	/** {@link #unwrapOversized}: the record in {@link #netIn} is not complete. */
	private static final int NEEDS_BYTES = Integer.MIN_VALUE;

	private final SocketChannel channel;

	private final SSLEngine engine;

	private final RecordWriter writer;

	/** Records read but not yet unwrapped, in read mode. */
	private ByteBuffer netIn;

	/** Plain bytes unwrapped that did not fit the caller's buffer, in read mode. */
	private ByteBuffer appIn = ByteBuffer.allocate(0);

	/** Bytes that came with the handshake's last read: the first read reports them. */
	private boolean leftover;

	private long handshakeBytesRead;

	private final String name;

	RecordReader(SocketChannel channel, SSLEngine engine, RecordWriter writer, String name) {
		this.channel = channel;
		this.name = name;
		this.engine = engine;
		this.writer = writer;
		this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		this.netIn.flip();
	}

	/**
	 * Unwrap one handshake record, reading when the engine needs more bytes.
	 * @return the engine's handshake status after it
	 * @throws IOException if the peer closed the connection or the engine failed
	 */
	HandshakeStatus unwrapHandshake() throws IOException {
		while (true) {
			ByteBuffer app = this.appIn;
			app.compact();
			SSLEngineResult result;
			try {
				result = this.engine.unwrap(this.netIn, app);
			}
			finally {
				app.flip();
			}
			switch (result.getStatus()) {
				case OK:
					return result.getHandshakeStatus();
				case BUFFER_OVERFLOW:
					growAppIn();
					break;
				case CLOSED:
					throw new SSLHandshakeException(this.name + " closed the TLS connection during the handshake");
				default:
					int read = fillNetIn();
					if (read < 0) {
						throw new EOFException(this.name + " closed the connection during the TLS handshake ("
								+ this.handshakeBytesRead + " bytes read)");
					}
					this.handshakeBytesRead += read;
			}
		}
	}

	/**
	 * Return the bytes the handshake has read so far.
	 * @return the count
	 */
	long handshakeBytesRead() {
		return this.handshakeBytesRead;
	}

	/** The handshake is done: remember whether its last read brought more. */
	void handshakeDone() {
		this.leftover = this.netIn.hasRemaining();
	}

	/**
	 * Read application bytes (see {@link Transport}): at most one system call.
	 * @param dst the caller's buffer
	 * @return the bytes put into it, 0 if a read brought none, -1 at end of stream or
	 * {@code close_notify}
	 * @throws IOException if the read fails
	 * @throws SSLException if a record is bad
	 */
	int read(ByteBuffer dst) throws IOException {
		if (!dst.hasRemaining()) {
			return 0;
		}
		if (this.appIn.hasRemaining()) {
			return drainAppIn(dst);
		}
		int produced = 0;
		// bytes that came with the handshake's last records count as read by this call
		boolean readOnce = this.leftover;
		this.leftover = false;
		while (true) {
			if (this.netIn.hasRemaining()) {
				SSLEngineResult result = this.engine.unwrap(this.netIn, dst);
				produced += result.bytesProduced();
				Status status = result.getStatus();
				if (status == Status.OK) {
					boolean progress = result.bytesConsumed() > 0 || result.bytesProduced() > 0;
					if (afterUnwrap(result.getHandshakeStatus()) || progress) {
						continue;
					}
				}
				else if (status == Status.CLOSED) {
					return (produced > 0) ? produced : -1;
				}
				else if (status == Status.BUFFER_OVERFLOW) {
					if (produced > 0) {
						return produced;
					}
					int n = unwrapOversized(dst);
					if (n == 0) {
						// a record without application bytes
						continue;
					}
					if (n != NEEDS_BYTES) {
						return n;
					}
					// the engine says overflow before it looks whether the record is complete
				}
			}
			if (produced > 0) {
				return produced;
			}
			if (readOnce) {
				// bytes came, but no application bytes (part of a record, or a TLS message)
				return 0;
			}
			if (fillNetIn() < 0) {
				return -1;
			}
			readOnce = true;
		}
	}

	/**
	 * A record larger than the room in the caller's buffer: unwrap it aside, and hand over what fits.
	 * @return the bytes handed over, -1 at {@code close_notify}, 0 for a record without application
	 * bytes, {@link #NEEDS_BYTES} if the record is not complete yet
	 */
	private int unwrapOversized(ByteBuffer dst) throws IOException {
		int size = this.engine.getSession().getApplicationBufferSize();
		if (this.appIn.capacity() < size) {
			this.appIn = ByteBuffer.allocate(size);
		}
		ByteBuffer app = this.appIn;
		app.clear();
		SSLEngineResult result;
		try {
			result = this.engine.unwrap(this.netIn, app);
		}
		finally {
			app.flip();
		}
		afterUnwrap(result.getHandshakeStatus());
		if (!app.hasRemaining()) {
			return switch (result.getStatus()) {
				case CLOSED -> -1;
				case BUFFER_UNDERFLOW -> NEEDS_BYTES;
				default -> 0;
			};
		}
		return drainAppIn(dst);
	}

	private int drainAppIn(ByteBuffer dst) {
		ByteBuffer app = this.appIn;
		int n = Math.min(app.remaining(), dst.remaining());
		if (n == app.remaining()) {
			dst.put(app);
		}
		else {
			int limit = app.limit();
			app.limit(app.position() + n);
			dst.put(app);
			app.limit(limit);
		}
		return n;
	}

	/**
	 * Do what the engine asks for after an unwrap outside the handshake (post-handshake messages,
	 * e.g. the answer to a TLS 1.3 key update, which the writer sends).
	 * @return whether it asked for something
	 */
	private boolean afterUnwrap(HandshakeStatus status) throws IOException {
		if (status == HandshakeStatus.NEED_TASK) {
			EngineRecords.runTasks(this.engine);
			status = this.engine.getHandshakeStatus();
		}
		if (status == HandshakeStatus.NEED_WRAP) {
			this.writer.wrapPending();
			return true;
		}
		return status == HandshakeStatus.NEED_TASK;
	}

	/**
	 * Read once into {@link #netIn}, growing it when a record does not fit.
	 * @return the bytes read, or -1 at end of stream
	 */
	int fillNetIn() throws IOException {
		ByteBuffer in = this.netIn;
		in.compact();
		if (!in.hasRemaining()) {
			ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * in.capacity(),
					this.engine.getSession().getPacketBufferSize()));
			in.flip();
			larger.put(in);
			in = larger;
			this.netIn = larger;
		}
		try {
			return this.channel.read(in);
		}
		finally {
			in.flip();
		}
	}

	private void growAppIn() {
		ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * this.appIn.capacity(),
				this.engine.getSession().getApplicationBufferSize()));
		larger.put(this.appIn);
		larger.flip();
		this.appIn = larger;
	}

	/**
	 * Check an idle connection nobody reads, without blocking (see {@link TlsTransport#probeIdle()}).
	 * @return whether healthy
	 * @throws IOException if the check itself failed
	 */
	boolean probeIdle() throws IOException {
		int read;
		synchronized (this.channel.blockingLock()) {
			this.channel.configureBlocking(false);
			try {
				read = fillNetIn();
			}
			finally {
				this.channel.configureBlocking(true);
			}
		}
		if (read < 0) {
			return false;
		}
		ByteBuffer probe = ByteBuffer.allocate(this.engine.getSession().getApplicationBufferSize());
		while (this.netIn.hasRemaining()) {
			SSLEngineResult result = this.engine.unwrap(this.netIn, probe);
			if (result.getStatus() == Status.CLOSED || probe.position() > 0) {
				return false;
			}
			if (result.getStatus() != Status.OK) {
				break;
			}
			afterUnwrap(result.getHandshakeStatus());
		}
		return true;
	}

	/**
	 * Return whether part of a record was read and waits for the rest.
	 * @return whether a record is incomplete
	 */
	boolean hasPartialInput() {
		return this.netIn.hasRemaining();
	}

}
