package dev.anet.tls;

import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;

/**
 * The seam under framing: what a connection reads from and writes to, plain TCP
 * ({@link #plain(SocketChannel)}) or TLS ({@link TlsTransport}). Blocking, like the
 * {@link SocketChannel} below it, except that a TLS read may return 0 when it brought no
 * application bytes. One thread reads at a time; writes may come from any thread but
 * never overlap (the connection's writer serializes them); a read and a write may run at once.
 */
public interface Transport extends ByteChannel, GatheringByteChannel {

	/**
	 * Return the plain transport over a connected channel.
	 * @param channel a blocking, connected channel
	 * @return the transport
	 */
	static Transport plain(SocketChannel channel) {
		return new PlainTransport(channel);
	}

	/**
	 * Return the underlying channel.
	 * @return the channel
	 */
	SocketChannel channel();

	/**
	 * Return the TLS session, once the handshake is done.
	 * @return the session, or {@code null} for a plain transport
	 */
	default @Nullable SSLSession tlsSession() {
		return null;
	}

	/**
	 * Return whether bytes were read below framing that do not make application bytes yet (part of
	 * a TLS record).
	 * @return whether input is incomplete; always {@code false} for plain TCP
	 */
	default boolean hasPartialInput() {
		return false;
	}

}
