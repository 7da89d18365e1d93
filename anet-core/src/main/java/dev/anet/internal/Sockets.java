package dev.anet.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import jdk.net.ExtendedSocketOptions;

/**
 * Socket options shared by the client and the server side. Internal: not part of the public API.
 */
public final class Sockets {

	private Sockets() {
	}

	/**
	 * Apply TCP_NODELAY and keep-alive to a socket: SO_KEEPALIVE, and TCP_KEEPIDLE and
	 * TCP_KEEPINTERVAL where the platform has them.
	 * @param channel the channel
	 * @param noDelay whether to set TCP_NODELAY
	 * @param keepAliveSeconds keep-alive idle time and probe interval in seconds; 0 turns keep-alive off
	 * @throws IOException if an option cannot be set
	 */
	public static void configure(SocketChannel channel, boolean noDelay, long keepAliveSeconds) throws IOException {
		channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
		channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepAliveSeconds > 0);
		if (keepAliveSeconds > 0) {
			int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, keepAliveSeconds));
			setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPIDLE, seconds);
			setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds);
		}
	}

	private static void setIfSupported(SocketChannel channel, SocketOption<Integer> option, int value)
			throws IOException {
		if (channel.supportedOptions().contains(option)) {
			channel.setOption(option, value);
		}
	}

}
