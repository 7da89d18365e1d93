package dev.anet.server;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * What a handler knows about the connection a request came on.
 */
public interface ServerConnection {

	/**
	 * Return the connection's id, unique within the server's life.
	 * @return the id
	 */
	long id();

	InetSocketAddress remoteAddress();

	InetSocketAddress localAddress();

	/**
	 * Return an attribute a handler stored on this connection.
	 * @param name the name
	 * @return the value or {@code null}
	 */
	@Nullable Object getAttribute(String name);

	/**
	 * Store an attribute on this connection (thread-safe); it lives as long as the connection.
	 * @param name the name
	 * @param value the value, or {@code null} to remove it
	 */
	void setAttribute(String name, @Nullable Object value);

}
