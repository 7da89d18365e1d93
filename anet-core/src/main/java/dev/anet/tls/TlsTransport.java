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

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over a blocking {@link SocketChannel}, driven by an {@code SSLEngine} ({@link EngineRecords}:
 * records are read by {@link RecordReader} and written by {@link RecordWriter}).
 *
 * <pre>
 *   write(frames...) ──wrap──► [record ≤16 KiB][record][record][record] ──one write──► socket
 *   socket ──one read──► [record][record][part..] ──unwrap each──► caller's buffer (all its frames)
 * </pre>
 *
 * <p>This class keeps the rules around the records: the handshake ({@link #handshake}) runs before
 * anybody else uses the transport, on the thread that dials or serves the connection, bounded by a
 * timer that closes the channel; its failure, and a TLS error afterwards, become a
 * {@link TlsHandshakeException} that names the peer and the reason ({@link TlsErrors}). A read
 * that brought no application bytes (part of a record, a session ticket) returns 0. A read and a
 * write may run at once; writes are serialized. {@link #close()} sends {@code close_notify} unless
 * a write is under way (a write that blocks for a second is cut off).
 */
public final class TlsTransport implements Transport {

	private static final Logger logger = LoggerFactory.getLogger(TlsTransport.class);

	private static final long CLOSE_NOTIFY_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Makes the record layer of a new transport: {@link EngineRecords}. Package-private, so that
	 * the benchmarks' {@code SSLSocket} prototype (in {@code anet-benchmarks}) can be measured
	 * against it; nothing else sets it.
	 */
	static volatile RecordsFactory records = RecordsFactory.ENGINE;

	private final SocketChannel channel;

	private final TlsRecords layer;

	private final TlsSide side;

	private final InetSocketAddress peer;

	private final String name;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable SSLSession session;

	private TlsTransport(SocketChannel channel, TlsConfig config, TlsSide side, InetSocketAddress peer) {
		this.channel = channel;
		this.side = side;
		this.peer = peer;
		this.name = peer.getHostString() + ":" + peer.getPort();
		this.layer = records.create(channel, config, side, peer, this.name);
	}

	/**
	 * Set up the client end of a connection (the handshake is not run yet).
	 * @param channel the connected channel
	 * @param address the dialled address (host for SNI and hostname verification)
	 * @param config the configuration
	 * @return the transport
	 */
	public static TlsTransport client(SocketChannel channel, InetSocketAddress address, TlsConfig config) {
		return new TlsTransport(channel, config, TlsSide.CLIENT, address);
	}

	/**
	 * Set up the server end of an accepted connection (the handshake is not run yet).
	 * @param channel the accepted channel
	 * @param remote the client's address
	 * @param config the configuration
	 * @return the transport
	 */
	public static TlsTransport server(SocketChannel channel, InetSocketAddress remote, TlsConfig config) {
		return new TlsTransport(channel, config, TlsSide.SERVER, remote);
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
			this.layer.handshake();
			if (!timer.cancel(false)) {
				throw new EOFException("handshake timer fired");
			}
			this.session = this.layer.session();
		}
		catch (IOException | RuntimeException ex) {
			timer.cancel(false);
			closeChannelQuietly();
			failure = TlsErrors.handshakeFailure(this.name, this.side, ex, timedOut.get(), timeout,
					this.layer.handshakeBytesRead(), System.nanoTime() - start);
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

	@Override
	public int read(ByteBuffer dst) throws IOException {
		try {
			return this.layer.read(dst);
		}
		catch (SSLException ex) {
			throw TlsErrors.connectionFailure(this.name, this.side, ex);
		}
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		try {
			return (int) this.layer.write(src);
		}
		catch (SSLException ex) {
			throw TlsErrors.connectionFailure(this.name, this.side, ex);
		}
	}

	@Override
	public long write(ByteBuffer[] srcs) throws IOException {
		return write(srcs, 0, srcs.length);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		try {
			return this.layer.write(srcs, offset, length);
		}
		catch (SSLException ex) {
			throw TlsErrors.connectionFailure(this.name, this.side, ex);
		}
	}

	/**
	 * Check an idle connection nobody reads, without blocking: read what arrived and unwrap it.
	 * TLS messages (a session ticket, a key update) are fine; end of stream, {@code close_notify}
	 * or application bytes nobody asked for mean the connection is dead.
	 * @return whether healthy
	 * @throws IOException if the check itself failed
	 */
	public boolean probeIdle() throws IOException {
		try {
			return this.layer.probeIdle();
		}
		catch (SSLException ex) {
			throw TlsErrors.connectionFailure(this.name, this.side, ex);
		}
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
		return this.layer.hasPartialInput();
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
			if (this.session != null && this.channel.isOpen()) {
				sendCloseNotify();
			}
		}
		finally {
			this.channel.close();
		}
	}

	private void sendCloseNotify() {
		ScheduledFuture<?> guard = TlsTimer.schedule(this::closeChannelQuietly, CLOSE_NOTIFY_LIMIT_NANOS);
		try {
			this.layer.closeNotify();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send close_notify to {}: {}", this.name, ex.toString());
		}
		finally {
			guard.cancel(false);
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

	/**
	 * Makes the record layer of a new connection.
	 */
	@FunctionalInterface
	interface RecordsFactory {

		/** The {@code SSLEngine} record layer. */
		RecordsFactory ENGINE = (channel, config, side, peer, name) -> new EngineRecords(channel,
				(side == TlsSide.CLIENT) ? TlsEngines.client(config, peer) : TlsEngines.server(config), name);

		TlsRecords create(SocketChannel channel, TlsConfig config, TlsSide side, InetSocketAddress peer, String name);

	}

}
