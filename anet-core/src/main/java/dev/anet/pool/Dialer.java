package dev.anet.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.anet.AnetException;
import dev.anet.internal.Sockets;
import dev.anet.tls.TlsConfig;
import dev.anet.tls.TlsHandshakeException;
import dev.anet.tls.TlsTransport;
import dev.anet.tls.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials the connections of one {@link ConnectionPool} and keeps its address's back-off.
 *
 * <p>{@link ConnectionPool#get} and {@link ConnectionPool#tryGet} reserve a place (count it in the
 * pool's {@code total}) under the pool's lock and then call {@link #dialReserved()} without it. The
 * dial opens a blocking TCP connection with the pool's socket options: TCP_NODELAY, SO_KEEPALIVE
 * and, where the platform has them, TCP_KEEPIDLE and TCP_KEEPINTERVAL from {@code keepAliveInterval}.
 * Then, under the pool's lock again, it settles the reservation: a new connection joins the pool's
 * books and ends the back-off; a failed dial gives the place back and puts the address in a capped
 * exponential back-off (100 ms doubling up to 30 s) by setting the pool's {@code downUntilNanos},
 * which {@link ConnectionPool#isDown} reads without the lock; a dial abandoned because its caller
 * was interrupted gives the place back without counting as a failure.
 *
 * <p>The dialer has no lock of its own: it takes the pool's {@code lock} around every access to the
 * pool's books, and its count of failures in a row is guarded by that lock too.
 */
final class Dialer {

	// logs under the pool's name, as it did before dialling moved here
	private static final Logger logger = LoggerFactory.getLogger(ConnectionPool.class);

	static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final ConnectionPool pool;

	/** Failed dials in a row, guarded by the pool's lock. */
	private int consecutiveFailures;

	/** When each dial in progress started, oldest first; guarded by the pool's lock. */
	private final List<Long> dialsInProgress = new ArrayList<>();

	/**
	 * Create the dialer of a pool.
	 * @param pool the pool whose connections it dials
	 */
	Dialer(ConnectionPool pool) {
		this.pool = pool;
		TlsConfig tls = pool.config().tls();
		if (tls != null && !tls.verifyHostname()) {
			logger.warn("TLS hostname verification is off for {}: any certificate its trust store accepts "
					+ "is taken, whatever host it names", pool.name);
		}
	}

	/**
	 * Put the pool's transport on a dialled channel: over TLS, run the handshake (bounded by the
	 * TLS handshake timeout, by default the dial timeout). The channel is closed if it fails.
	 */
	private Transport connect(SocketChannel channel) throws IOException {
		PoolConfig config = this.pool.config();
		TlsConfig tls = config.tls();
		if (tls == null) {
			return Transport.plain(channel);
		}
		try {
			TlsTransport transport = TlsTransport.client(channel, this.pool.address(), tls);
			transport.handshake(tls.handshakeTimeout(config.dialTimeout()), this.pool.listener);
			return transport;
		}
		catch (RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Dial a connection for a place the caller has already counted in the pool's {@code total}.
	 * Call without the pool's lock.
	 * @return the connection, on the pool's books and handed out
	 * @throws DialException if the connection could not be dialled
	 * @throws PoolClosedException if the pool was closed while dialling
	 */
	AnetConnection dialReserved() {
		Long started = dialStarted();
		Transport transport;
		try {
			transport = connect(dial(this.pool.address(), this.pool.config()));
		}
		catch (ClosedByInterruptException ex) {
			// the caller was interrupted (its interrupt flag stays set): the address did not fail
			dialAbandoned();
			throw new AnetException("Interrupted while dialling " + this.pool.name, ex);
		}
		catch (TlsHandshakeException ex) {
			dialFailed(ex);
			throw new DialException(this.pool.address(), ex);
		}
		catch (IOException | RuntimeException ex) {
			dialFailed(ex);
			throw new DialException(this.pool.address(), this.pool.config().dialTimeout().toMillis(), ex);
		}
		finally {
			dialEnded(started);
		}
		AnetConnection connection = new AnetConnection(transport, this.pool);
		boolean lateClose;
		int failedBefore = 0;
		this.pool.lock.lock();
		try {
			lateClose = this.pool.closed;
			if (!lateClose) {
				this.pool.all.add(connection);
				failedBefore = this.consecutiveFailures;
				this.consecutiveFailures = 0;
				this.pool.downUntilNanos = 0;
			}
			else {
				this.pool.total--;
				connection.state = AnetConnection.GONE;
			}
		}
		finally {
			this.pool.lock.unlock();
		}
		if (failedBefore > 0) {
			logger.info("Dial to {} succeeded after {} failed dial(s): the address is up again", this.pool.name,
					failedBefore);
		}
		this.pool.listener.connectionCreated(this.pool.address());
		if (lateClose) {
			connection.close();
			throw new PoolClosedException("Pool " + this.pool.name + " was closed while dialling");
		}
		return connection;
	}

	private Long dialStarted() {
		Long started = System.nanoTime();
		this.pool.lock.lock();
		try {
			this.dialsInProgress.add(started);
		}
		finally {
			this.pool.lock.unlock();
		}
		return started;
	}

	private void dialEnded(Long started) {
		this.pool.lock.lock();
		try {
			this.dialsInProgress.remove(started);
		}
		finally {
			this.pool.lock.unlock();
		}
	}

	/**
	 * Return how long the oldest dial in progress has run. Pool's lock held.
	 * @param nowNanos {@link System#nanoTime()}
	 * @return nanoseconds, or -1 when none is in progress
	 */
	long oldestDialNanos(long nowNanos) {
		return this.dialsInProgress.isEmpty() ? -1 : nowNanos - this.dialsInProgress.get(0);
	}

	/** Give back the place of a dial that was abandoned, without counting it as a failure. */
	private void dialAbandoned() {
		this.pool.lock.lock();
		try {
			this.pool.total--;
			this.pool.available.signal();
		}
		finally {
			this.pool.lock.unlock();
		}
	}

	private void dialFailed(Exception ex) {
		int failures;
		this.pool.lock.lock();
		try {
			this.pool.total--;
			this.pool.lastError = ex;
			failures = ++this.consecutiveFailures;
			int shift = Math.min(this.consecutiveFailures - 1, 20);
			long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << shift);
			this.pool.downUntilNanos = System.nanoTime() + backoff;
			this.pool.available.signal();
		}
		finally {
			this.pool.lock.unlock();
		}
		if (failures == 1) {
			// the first failure of an outage; the next ones (each after its back-off) at DEBUG
			logger.warn("Dial to {} failed: {}. The address is down until a dial succeeds", this.pool.name,
					ex.toString());
		}
		else {
			logger.debug("Dial to {} failed ({} in a row)", this.pool.name, failures, ex);
		}
		this.pool.listener.dialFailed(this.pool.address(), ex);
	}

	/**
	 * Open a blocking TCP connection with the pool's socket options.
	 * @param address the address
	 * @param config the pool's configuration
	 * @return the connected channel
	 * @throws IOException if the connection could not be opened in {@code dialTimeout}
	 */
	static SocketChannel dial(InetSocketAddress address, PoolConfig config) throws IOException {
		InetSocketAddress target = address.isUnresolved()
				? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
		if (target.isUnresolved()) {
			throw new IOException("Cannot resolve host " + address.getHostString());
		}
		SocketChannel channel = SocketChannel.open();
		try {
			Sockets.configure(channel, config.noDelay(), config.keepAliveInterval().toSeconds());
			// at least 1 ms: a timeout of 0 would mean no timeout at all
			int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.dialTimeout().toMillis()));
			channel.socket().connect(target, timeoutMillis);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

}
