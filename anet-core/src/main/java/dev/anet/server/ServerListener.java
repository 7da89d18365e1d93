package dev.anet.server;

import java.net.SocketAddress;

import dev.anet.tls.TlsListener;

/**
 * Metrics hooks of the server. Every method is a no-op by default. Methods are called on the
 * server's threads and must not block. TLS handshakes are reported through
 * {@link TlsListener#tlsHandshake}, side {@code SERVER}.
 */
public interface ServerListener extends TlsListener {

	/** A listener that records nothing. */
	ServerListener NONE = new ServerListener() {
	};

	/**
	 * A connection was accepted.
	 * @param connection the connection
	 */
	default void connectionOpened(ServerConnection connection) {
	}

	/**
	 * A connection was closed (once per opened connection).
	 * @param connection the connection
	 */
	default void connectionClosed(ServerConnection connection) {
	}

	/**
	 * A connection was refused because {@code maxConns} connections were open.
	 * @param remoteAddress the peer
	 */
	default void connectionRejected(SocketAddress remoteAddress) {
	}

	/**
	 * A request was handled.
	 * @param connection the connection
	 * @param request the request body
	 * @param outcome how it ended
	 * @param nanos the handler's time, from the frame's arrival to the answer being queued
	 */
	default void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome, long nanos) {
	}

	/**
	 * A frame with a length under 4 arrived; its connection is closed.
	 * @param connection the connection
	 * @param length the length field
	 */
	default void invalidFrame(ServerConnection connection, int length) {
	}

}
