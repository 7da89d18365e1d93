package dev.anet.broker;

import java.net.InetSocketAddress;

import dev.anet.AnetException;
import dev.anet.pool.Addresses;

/**
 * The connection a request was in flight on ended (end-of-stream, reset, write failure, protocol
 * error). Every request in flight on that connection fails with this, at once; the request may or
 * may not have been processed by the server.
 */
public class ConnectionLostException extends AnetException {

	private static final long serialVersionUID = 1L;

	private final InetSocketAddress address;

	public ConnectionLostException(InetSocketAddress address, Throwable cause) {
		super("Connection to " + Addresses.format(address) + " lost: " + cause, cause);
		this.address = address;
	}

	public InetSocketAddress address() {
		return this.address;
	}

}
