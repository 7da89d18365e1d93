package dev.anet.tls;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Hook for TLS handshakes; the pool's and the server's listeners extend it. A no-op by default;
 * called on the thread that ran the handshake, and must not block.
 */
public interface TlsListener {

	/**
	 * A TLS handshake ended.
	 * @param side which end ran it
	 * @param peer the other end's address
	 * @param nanos how long it took
	 * @param failure why it failed, or {@code null} when it succeeded
	 */
	default void tlsHandshake(TlsSide side, InetSocketAddress peer, long nanos, @Nullable Throwable failure) {
	}

}
