package dev.anet.pool;

import java.net.InetSocketAddress;

import dev.anet.tls.TlsListener;

/**
 * Metrics hooks of the pools. Every method is a no-op by default, so an implementation overrides
 * only what it records and the hot path pays nothing for the rest. Methods are called on the
 * thread that did the work and must not block. TLS handshakes (part of a dial) are reported through
 * {@link TlsListener#tlsHandshake}, side {@code CLIENT}.
 */
public interface PoolListener extends TlsListener {

	/** A listener that records nothing. */
	PoolListener NONE = new PoolListener() {
	};

	/**
	 * A connection was dialled and added to the pool.
	 * @param address the pool's address
	 */
	default void connectionCreated(InetSocketAddress address) {
	}

	/**
	 * A connection of the pool was closed (called exactly once per connection).
	 * @param address the pool's address
	 */
	default void connectionClosed(InetSocketAddress address) {
	}

	/**
	 * A caller acquired a connection: every acquire, whether it took an idle connection at once
	 * (the broker's usual path), dialled a new one or waited for one.
	 * @param address the pool's address
	 * @param nanos how long the acquire took, dial or wait included
	 */
	default void connectionAcquired(InetSocketAddress address, long nanos) {
	}

	/**
	 * A dial failed.
	 * @param address the pool's address
	 * @param cause why
	 */
	default void dialFailed(InetSocketAddress address, Throwable cause) {
	}

}
