package dev.anet.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over a blocking {@link SocketChannel}, driven by an {@link SSLEngine}.
 *
 * <pre>
 *   write(frames...) ──wrap──► [record ≤16 KiB][record][record][record] ──one write──► socket
 *   socket ──one read──► [record][record][part..] ──unwrap each──► caller's buffer (all its frames)
 * </pre>
 *
 * <p>A write wraps the caller's buffers (many frames) into records of up to 16 KiB, up to
 * {@value NetBuffers#RECORDS} records per system call, in a buffer taken from {@link NetBuffers}
 * for the length of the write. A read makes at most one system call and unwraps every complete
 * record it holds into the caller's buffer, so the framing above decodes every frame that one read
 * brought; what does not fit waits for the next read. A read that brought no application bytes
 * (part of a record, a session ticket) returns 0. The engine allows a read and a write at once;
 * writes (and the records the reader must send, e.g. an answer to a TLS 1.3 key update) are
 * serialized by one lock. The handshake ({@link #handshake}) runs before anybody else uses the
 * transport, on the thread that dials or serves the connection, bounded by a timer that closes the
 * channel. {@link #close()} sends {@code close_notify} unless a write is under way (a write that
 * blocks for a second is cut off).
 */
public final class TlsTransport implements Transport {

	private static final Logger logger = LoggerFactory.getLogger(TlsTransport.class);

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private static final long CLOSE_NOTIFY_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** Engine steps of one handshake before it is given up as looping. */
	private static final int MAX_HANDSHAKE_STEPS = 10_000;

	/** {@link #unwrapOversized}: the record in {@link #netIn} is not complete. */
	private static final int NEEDS_BYTES = Integer.MIN_VALUE;

	private final SocketChannel channel;

	private final SSLEngine engine;

	private final TlsSide side;

	private final InetSocketAddress peer;

	private final String name;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Records read but not yet unwrapped, in read mode. The reader's. */
	private ByteBuffer netIn;

	/** Plain bytes unwrapped that did not fit the caller's buffer, in read mode. The reader's. */
	private ByteBuffer appIn = ByteBuffer.allocate(0);

	private final ByteBuffer[] single = new ByteBuffer[1];

	private long handshakeBytesRead;

	/** The handshake's last read brought more than the handshake: the first read reports it. */
	private boolean handshakeLeftover;

	private volatile @Nullable SSLSession session;

	private TlsTransport(SocketChannel channel, SSLEngine engine, TlsSide side, InetSocketAddress peer) {
		this.channel = channel;
		this.engine = engine;
		this.side = side;
		this.peer = peer;
		this.name = peer.getHostString() + ":" + peer.getPort();
		this.netIn = ByteBuffer.allocateDirect(engine.getSession().getPacketBufferSize());
		this.netIn.flip();
	}

	/**
	 * Set up the client end of a connection (the handshake is not run yet).
	 * @param channel the connected channel
	 * @param address the dialled address (host for SNI and hostname verification)
	 * @param config the configuration
	 * @return the transport
	 */
	public static TlsTransport client(SocketChannel channel, InetSocketAddress address, TlsConfig config) {
		return new TlsTransport(channel, TlsEngines.client(config, address), TlsSide.CLIENT, address);
	}

	/**
	 * Set up the server end of an accepted connection (the handshake is not run yet).
	 * @param channel the accepted channel
	 * @param remote the client's address
	 * @param config the configuration
	 * @return the transport
	 */
	public static TlsTransport server(SocketChannel channel, InetSocketAddress remote, TlsConfig config) {
		return new TlsTransport(channel, TlsEngines.server(config), TlsSide.SERVER, remote);
	}

	@Override
	public SocketChannel channel() {
		return this.channel;
	}

	@Override
	public @Nullable SSLSession tlsSession() {
		return this.session;
	}

	public TlsSide side() {
		return this.side;
	}

	/**
	 * Run the handshake on this thread. On failure the channel is closed.
	 * @param timeout the limit, after which the channel is closed
	 * @param listener told how it went
	 * @throws TlsHandshakeException if it failed or timed out; the message names the peer and the
	 * reason in words
	 */
	public void handshake(Duration timeout, TlsListener listener) throws TlsHandshakeException {
		long start = System.nanoTime();
		AtomicBoolean timedOut = new AtomicBoolean();
		ScheduledFuture<?> timer = TlsTimer.schedule(() -> {
			timedOut.set(true);
			closeChannelQuietly();
		}, timeout.toNanos());
		TlsHandshakeException failure = null;
		try {
			runHandshake();
			if (!timer.cancel(false)) {
				throw new EOFException("handshake timer fired");
			}
			this.session = this.engine.getSession();
			this.handshakeLeftover = this.netIn.hasRemaining();
		}
		catch (IOException | RuntimeException ex) {
			timer.cancel(false);
			closeChannelQuietly();
			failure = handshakeFailure(ex, timedOut.get(), timeout, System.nanoTime() - start);
			throw failure;
		}
		finally {
			try {
				listener.tlsHandshake(this.side, this.peer, System.nanoTime() - start, failure);
			}
			catch (RuntimeException ex) {
				logger.warn("TlsListener {} failed; ignoring", listener.getClass().getName(), ex);
			}
		}
	}

	private TlsHandshakeException handshakeFailure(Exception ex, boolean timedOut, Duration timeout, long nanos) {
		TlsFailure reason;
		String detail;
		if (timedOut) {
			reason = (this.handshakeBytesRead == 0) ? TlsFailure.NOT_TLS : TlsFailure.OTHER;
			detail = (this.handshakeBytesRead == 0) ? "no TLS handshake message within " + timeout.toMillis() + " ms"
					: "timed out after " + timeout.toMillis() + " ms (" + this.handshakeBytesRead + " bytes read)";
		}
		else {
			reason = TlsFailure.classify(ex, this.side);
			detail = ex.toString();
		}
		return new TlsHandshakeException("TLS handshake with " + this.name + " failed after "
				+ TimeUnit.NANOSECONDS.toMillis(nanos) + " ms: " + reason.description() + " [" + detail + "]", reason,
				ex);
	}

	private void runHandshake() throws IOException {
		this.engine.beginHandshake();
		ByteBuffer out = NetBuffers.acquire();
		try {
			HandshakeStatus status = this.engine.getHandshakeStatus();
			for (int steps = 0; steps < MAX_HANDSHAKE_STEPS; steps++) {
				switch (status) {
					case NEED_WRAP -> status = wrapHandshake(out);
					case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> status = unwrapHandshake();
					case NEED_TASK -> {
						runTasks();
						status = this.engine.getHandshakeStatus();
					}
					default -> {
						// FINISHED or NOT_HANDSHAKING; a server may still hold a session ticket to send
						status = this.engine.getHandshakeStatus();
						if (status != HandshakeStatus.NEED_WRAP) {
							return;
						}
					}
				}
			}
			throw new SSLHandshakeException("TLS handshake with " + this.name + " did not end in "
					+ MAX_HANDSHAKE_STEPS + " steps");
		}
		catch (SSLException ex) {
			flushAlert(out);
			throw ex;
		}
		finally {
			NetBuffers.release(out);
		}
	}

	private HandshakeStatus wrapHandshake(ByteBuffer out) throws IOException {
		out.clear();
		SSLEngineResult result = this.engine.wrap(EMPTY, out);
		out.flip();
		writeFully(out);
		if (result.getStatus() == Status.CLOSED) {
			throw new SSLHandshakeException("TLS engine closed during the handshake with " + this.name);
		}
		return result.getHandshakeStatus();
	}

	private HandshakeStatus unwrapHandshake() throws IOException {
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

	/** Send the alert the engine holds after a fatal error, so that the peer learns why. */
	private void flushAlert(ByteBuffer out) {
		try {
			this.engine.closeOutbound();
			for (int i = 0; i < 4 && !this.engine.isOutboundDone(); i++) {
				out.clear();
				this.engine.wrap(EMPTY, out);
				out.flip();
				writeFully(out);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send the TLS alert to {}", this.name, ex);
		}
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		try {
			if (!dst.hasRemaining()) {
				return 0;
			}
			if (this.appIn.hasRemaining()) {
				return drainAppIn(dst);
			}
			int produced = 0;
			// bytes that came with the handshake's last records count as read by this call
			boolean readOnce = this.handshakeLeftover;
			this.handshakeLeftover = false;
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
		catch (SSLException ex) {
			throw connectionFailure(ex);
		}
	}

	/**
	 * A record larger than the room in the caller's buffer: unwrap it aside, and hand over what fits.
	 * @return the bytes handed over, -1 at {@code close_notify}, 0 for a record without application
	 * bytes, {@link #NEEDS_BYTES} if the record is not complete yet
	 */
	private int unwrapOversized(ByteBuffer dst) throws IOException {
		if (this.appIn.capacity() < this.engine.getSession().getApplicationBufferSize()) {
			this.appIn = ByteBuffer.allocate(this.engine.getSession().getApplicationBufferSize());
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
	 * Do what the engine asks for after an unwrap outside the handshake (post-handshake messages).
	 * @return whether it asked for something
	 */
	private boolean afterUnwrap(HandshakeStatus status) throws IOException {
		if (status == HandshakeStatus.NEED_TASK) {
			runTasks();
			status = this.engine.getHandshakeStatus();
		}
		if (status == HandshakeStatus.NEED_WRAP) {
			this.writeLock.lock();
			try {
				ByteBuffer out = NetBuffers.acquire();
				try {
					while (this.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
						out.clear();
						SSLEngineResult result = this.engine.wrap(EMPTY, out);
						out.flip();
						writeFully(out);
						if (result.bytesProduced() == 0) {
							break;
						}
					}
				}
				finally {
					NetBuffers.release(out);
				}
			}
			finally {
				this.writeLock.unlock();
			}
			return true;
		}
		return status == HandshakeStatus.NEED_TASK;
	}

	/** Read once into {@link #netIn}, growing it when a record does not fit. */
	private int fillNetIn() throws IOException {
		ByteBuffer in = this.netIn;
		in.compact();
		if (!in.hasRemaining()) {
			ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(2 * in.capacity(),
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

	@Override
	public int write(ByteBuffer src) throws IOException {
		this.writeLock.lock();
		try {
			this.single[0] = src;
			return (int) wrapAndWrite(this.single, 0, 1);
		}
		finally {
			this.single[0] = null;
			this.writeLock.unlock();
		}
	}

	@Override
	public long write(ByteBuffer[] srcs) throws IOException {
		return write(srcs, 0, srcs.length);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		this.writeLock.lock();
		try {
			return wrapAndWrite(srcs, offset, length);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/** Wrap every remaining byte of the buffers and write the records, several per system call. */
	private long wrapAndWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
		int end = offset + length;
		int first = skipEmpty(srcs, offset, end);
		ByteBuffer out = NetBuffers.acquire();
		long consumed = 0;
		try {
			int packet = this.engine.getSession().getPacketBufferSize();
			while (first < end) {
				out.clear();
				while (first < end && out.remaining() >= packet) {
					SSLEngineResult result = this.engine.wrap(srcs, first, end - first, out);
					if (result.getStatus() == Status.CLOSED) {
						throw new SSLException("TLS connection to " + this.name + " is closed for writing");
					}
					if (result.getStatus() == Status.BUFFER_OVERFLOW) {
						break;
					}
					if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
						runTasks();
					}
					if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
						throw new SSLException("TLS engine of the connection to " + this.name
								+ " made no progress (renegotiation is not supported)");
					}
					consumed += result.bytesConsumed();
					first = skipEmpty(srcs, first, end);
				}
				out.flip();
				writeFully(out);
			}
			return consumed;
		}
		catch (SSLException ex) {
			throw connectionFailure(ex);
		}
		finally {
			NetBuffers.release(out);
		}
	}

	private static int skipEmpty(ByteBuffer[] srcs, int from, int end) {
		int i = from;
		while (i < end && !srcs[i].hasRemaining()) {
			i++;
		}
		return i;
	}

	private void writeFully(ByteBuffer out) throws IOException {
		while (out.hasRemaining()) {
			this.channel.write(out);
		}
	}

	private void runTasks() {
		for (Runnable task = this.engine.getDelegatedTask(); task != null; task = this.engine.getDelegatedTask()) {
			task.run();
		}
	}

	/** A TLS error once the handshake was done (e.g. a TLS 1.3 server refusing the client's certificate). */
	private IOException connectionFailure(SSLException ex) {
		TlsFailure reason = TlsFailure.classify(ex, this.side);
		String what = (reason == TlsFailure.OTHER) ? "TLS error" : reason.description();
		return new TlsHandshakeException("TLS connection with " + this.name + " failed: " + what + " [" + ex + "]",
				reason, ex);
	}

	/**
	 * Check an idle connection nobody reads, without blocking: read what arrived and unwrap it.
	 * TLS messages (a session ticket, a key update) are fine; end of stream, {@code close_notify}
	 * or application bytes nobody asked for mean the connection is dead.
	 * @return whether healthy
	 * @throws IOException if the check itself failed
	 */
	public boolean probeIdle() throws IOException {
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
			SSLEngineResult result;
			try {
				result = this.engine.unwrap(this.netIn, probe);
			}
			catch (SSLException ex) {
				throw connectionFailure(ex);
			}
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

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Return whether part of a TLS record was read and waits for the rest (the server's slow-sender
	 * clock runs from then, as for part of a frame).
	 * @return whether a record is incomplete
	 */
	@Override
	public boolean hasPartialInput() {
		return this.netIn.hasRemaining();
	}

	/**
	 * Send {@code close_notify} (when no write is under way, and cut off after a second) and close
	 * the channel. Idempotent.
	 */
	@Override
	public void close() throws IOException {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			if (this.session != null && this.channel.isOpen() && this.writeLock.tryLock()) {
				try {
					sendCloseNotify();
				}
				finally {
					this.writeLock.unlock();
				}
			}
		}
		finally {
			this.channel.close();
		}
	}

	private void sendCloseNotify() {
		ScheduledFuture<?> guard = TlsTimer.schedule(this::closeChannelQuietly, CLOSE_NOTIFY_LIMIT_NANOS);
		ByteBuffer out = NetBuffers.acquire();
		try {
			this.engine.closeOutbound();
			out.clear();
			this.engine.wrap(EMPTY, out);
			out.flip();
			writeFully(out);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send close_notify to {}: {}", this.name, ex.toString());
		}
		finally {
			guard.cancel(false);
			NetBuffers.release(out);
		}
	}

	private void closeChannelQuietly() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the channel to {}", this.name, ex);
		}
	}

	@Override
	public String toString() {
		SSLSession s = this.session;
		return "TlsTransport[" + this.side.tag() + ", " + this.name + ", "
				+ ((s != null) ? s.getProtocol() + " " + s.getCipherSuite() : "handshaking") + "]";
	}

}
