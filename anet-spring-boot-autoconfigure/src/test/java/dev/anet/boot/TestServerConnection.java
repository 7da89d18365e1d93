package dev.anet.boot;

import java.net.InetSocketAddress;

import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ServerConnection} for tests that call a handler or a convention without a server: id 7,
 * from 127.0.0.1:40000 to 127.0.0.1:9000, no attributes.
 */
public final class TestServerConnection implements ServerConnection {

	@Override
	public long id() {
		return 7;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return new InetSocketAddress("127.0.0.1", 40000);
	}

	@Override
	public InetSocketAddress localAddress() {
		return new InetSocketAddress("127.0.0.1", 9000);
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return null;
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
	}

}
