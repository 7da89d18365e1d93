package dev.anet.server;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.tls.Transport;

/**
 * The open connections of one server: makes each accepted one, counts and tracks it until it
 * closes, and tells the {@link ServerListener}. The {@link Watchdog} walks them; a stopping server
 * shuts their input and, at the end, closes what is left.
 */
final class Connections implements Iterable<Connection>, Connection.Closed {

	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger count = new AtomicInteger();

	private final AtomicLong ids = new AtomicLong();

	private final int writeQueueDepth;

	private final FrameWriterPool writers;

	private final ServerListener listener;

	private final Draining draining;

	Connections(int writeQueueDepth, FrameWriterPool writers, ServerListener listener, Draining draining) {
		this.writeQueueDepth = writeQueueDepth;
		this.writers = writers;
		this.listener = listener;
		this.draining = draining;
	}

	/**
	 * Make and track the connection of an accepted socket (before its reader starts).
	 * @param transport plain TCP or TLS over the socket
	 * @param remote the peer
	 * @param local the server's end
	 * @return the connection, counted as open
	 */
	Connection open(Transport transport, InetSocketAddress remote, InetSocketAddress local) {
		Connection connection = new Connection(this.ids.incrementAndGet(), transport, remote, local,
				this.writeQueueDepth, this.writers, this);
		this.count.incrementAndGet();
		this.listener.connectionOpened(connection);
		this.open.add(connection);
		return connection;
	}

	/**
	 * Called by a connection once it is closed: forget it.
	 */
	@Override
	public void connectionClosed(Connection connection) {
		if (this.open.remove(connection)) {
			this.listener.connectionClosed(connection);
			this.count.decrementAndGet();
		}
		this.draining.changed();
	}

	/**
	 * Return the number of open connections.
	 * @return the count
	 */
	int count() {
		return this.count.get();
	}

	/**
	 * Stop reading every connection (the server stops): each closes once its last answer is
	 * written.
	 */
	void shutdownInput() {
		for (Connection connection : this.open) {
			connection.shutdownInput();
		}
	}

	/**
	 * Close every connection left.
	 */
	void closeAll() {
		for (Connection connection : this.open) {
			connection.close();
		}
	}

	@Override
	public Iterator<Connection> iterator() {
		return this.open.iterator();
	}

}
