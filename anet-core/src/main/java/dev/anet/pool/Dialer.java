package dev.anet.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

import dev.anet.internal.Sockets;

/**
 * Opens blocking TCP connections with the pool's socket options: TCP_NODELAY, SO_KEEPALIVE and,
 * where the platform has them, TCP_KEEPIDLE and TCP_KEEPINTERVAL from {@code keepAliveInterval}.
 */
final class Dialer {

	private Dialer() {
	}

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
