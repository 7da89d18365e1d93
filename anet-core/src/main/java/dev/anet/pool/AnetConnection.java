package dev.anet.pool;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.tls.TlsTransport;
import dev.anet.tls.Transport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled TCP connection: a blocking {@link SocketChannel} to the pool's address.
 *
 * <p>A user that reads the connection on its own thread (the broker's multiplexed reader) attaches
 * a {@link Tenant}: the pool then asks the tenant about health, in-flight requests and free slots
 * instead of probing the socket, so validation never races the reader.
 */
public final class AnetConnection implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(AnetConnection.class);

	private static final AtomicLong ids = new AtomicLong();

	static final int IDLE = 0;

	static final int ACTIVE = 1;

	static final int PARKED = 2;

	static final int GONE = 3;

	private final long id = ids.incrementAndGet();

	private final SocketChannel channel;

	private final Transport transport;

	private final ConnectionPool pool;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable Tenant tenant;

	private volatile @Nullable Throwable failure;

	/**
	 * Pool state, written under the pool's lock. Volatile so that a tenant can see PARKED without
	 * the lock (see {@link ConnectionPool#put}).
	 */
	volatile int state = ACTIVE;

	/** When the connection was last returned to the pool, guarded by the pool's lock. */
	long idleSinceNanos = System.nanoTime();

	AnetConnection(Transport transport, ConnectionPool pool) {
		this.channel = transport.channel();
		this.transport = transport;
		this.pool = pool;
	}

	/**
	 * What a user that owns the reading side tells the pool about the connection.
	 */
	public interface Tenant {

		/**
		 * Return whether the connection takes no more requests now (its in-flight bound is
		 * reached). The pool keeps a saturated connection back until {@link ConnectionPool#slotFreed}.
		 * @return whether saturated
		 */
		boolean saturated();

		/**
		 * Return whether requests are in flight, so that the connection is not idle.
		 * @return whether busy
		 */
		boolean busy();

		/**
		 * Return how many requests are in flight on the connection.
		 * @return the count
		 */
		int inFlight();

		/**
		 * The connection's pool let it go (its address was removed): take no new requests, and
		 * close the connection once nothing is in flight on it.
		 */
		void retire();

	}

	public long id() {
		return this.id;
	}

	/**
	 * Return the socket. Read and write through {@link #transport()}: over TLS the socket carries
	 * records, not frames.
	 * @return the channel
	 */
	public SocketChannel channel() {
		return this.channel;
	}

	/**
	 * Return what to read frames from and write them to (plain TCP or TLS).
	 * @return the transport
	 */
	public Transport transport() {
		return this.transport;
	}

	public InetSocketAddress address() {
		return this.pool.address();
	}

	public ConnectionPool pool() {
		return this.pool;
	}

	public @Nullable Tenant tenant() {
		return this.tenant;
	}

	/**
	 * Attach the user that owns reading. Call while holding the connection.
	 * @param tenant the tenant
	 */
	public void attach(Tenant tenant) {
		this.tenant = tenant;
	}

	/**
	 * Return whether the connection is open and no failure was seen on it.
	 * @return whether usable
	 */
	public boolean isUsable() {
		return this.failure == null && !this.closed.get() && this.channel.isOpen();
	}

	/**
	 * Return the failure that ended the connection, if any.
	 * @return the failure or {@code null}
	 */
	public @Nullable Throwable failure() {
		return this.failure;
	}

	/**
	 * Record that the connection failed (end-of-stream, I/O error, protocol error) and close it. The
	 * pool drops it the next time it sees it.
	 * @param cause why
	 */
	public void fail(Throwable cause) {
		if (this.failure == null) {
			this.failure = cause;
		}
		close();
	}

	/**
	 * Return whether the pool keeps this connection back because its tenant reported it saturated.
	 * A tenant that frees a slot calls {@link ConnectionPool#slotFreed} when this is true.
	 * @return whether parked
	 */
	public boolean isParked() {
		return this.state == PARKED;
	}

	boolean saturated() {
		Tenant t = this.tenant;
		return t != null && t.saturated();
	}

	boolean busy() {
		Tenant t = this.tenant;
		return t != null && t.busy();
	}

	int inFlight() {
		Tenant t = this.tenant;
		return (t != null) ? t.inFlight() : 0;
	}

	/**
	 * What one check of an idle connection found.
	 */
	enum Probe {

		/** Nothing to read: the connection looks healthy. */
		HEALTHY,

		/**
		 * End of stream, or bytes nobody asked for (one of them is now consumed): the connection is
		 * dead, and checking again cannot change that.
		 */
		DEAD,

		/** The check itself failed with an error; it may be tried again. */
		FAILED

	}

	/**
	 * Check an idle connection that no tenant reads.
	 * @param strategy the strategy
	 * @param timeout how long a {@link ValidationStrategy#READ} check waits
	 * @return what the check found
	 */
	Probe probe(ValidationStrategy strategy, Duration timeout) {
		if (!isUsable()) {
			return Probe.DEAD;
		}
		if (this.tenant != null || strategy == ValidationStrategy.NONE) {
			return Probe.HEALTHY;
		}
		try {
			if (this.transport instanceof TlsTransport tls) {
				// over TLS both strategies decode what arrived, without waiting (see the README)
				return tls.probeIdle() ? Probe.HEALTHY : Probe.DEAD;
			}
			return (strategy == ValidationStrategy.PING) ? ping() : readProbe(timeout);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Validation of connection {} to {} failed", this.id, Addresses.format(address()), ex);
			return Probe.FAILED;
		}
	}

	private Probe ping() throws IOException {
		int read;
		synchronized (this.channel.blockingLock()) {
			this.channel.configureBlocking(false);
			try {
				read = this.channel.read(ByteBuffer.allocate(1));
			}
			finally {
				this.channel.configureBlocking(true);
			}
		}
		if (read == 0) {
			return Probe.HEALTHY;
		}
		logDead(read);
		return Probe.DEAD;
	}

	private Probe readProbe(Duration timeout) throws IOException {
		Socket socket = this.channel.socket();
		int previous = socket.getSoTimeout();
		socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
		try {
			InputStream in = socket.getInputStream();
			// a healthy idle connection has nothing to say, so the read times out; end-of-stream means
			// the peer left, and a byte nobody asked for means the stream can no longer be trusted
			logDead(in.read());
			return Probe.DEAD;
		}
		catch (SocketTimeoutException ex) {
			return Probe.HEALTHY;
		}
		finally {
			socket.setSoTimeout(previous);
		}
	}

	private void logDead(int read) {
		logger.debug("Validation of connection {} to {}: {}", this.id, Addresses.format(address()),
				(read < 0) ? "peer closed the connection" : "unexpected data on an idle connection");
	}

	/**
	 * Close the socket. Idempotent: the pool's listener hears of each connection's close once.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			try {
				this.transport.close();
			}
			catch (IOException ex) {
				logger.debug("Error closing connection {} to {}", this.id, Addresses.format(address()), ex);
			}
			this.pool.connectionClosed(this);
		}
	}

	public boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public String toString() {
		return "AnetConnection#" + this.id + "[" + Addresses.format(address()) + "]";
	}

}
