package dev.anet.pool;

import java.net.InetSocketAddress;

import dev.anet.AnetException;
import dev.anet.tls.TlsHandshakeException;

/**
 * A new connection could not be dialled. The pool group treats the address as down and backs off.
 */
public class DialException extends AnetException {

	private static final long serialVersionUID = 1L;

	private final InetSocketAddress address;

	public DialException(InetSocketAddress address, long timeoutMillis, Throwable cause) {
		super("Failed to connect to " + Addresses.format(address) + " within " + timeoutMillis + " ms: " + cause,
				cause);
		this.address = address;
	}

	/**
	 * A dial whose TLS handshake failed.
	 * @param address the address
	 * @param cause the handshake's failure, whose message names the reason
	 */
	public DialException(InetSocketAddress address, TlsHandshakeException cause) {
		super("Failed to connect to " + Addresses.format(address) + ": " + cause.getMessage(), cause);
		this.address = address;
	}

	public InetSocketAddress address() {
		return this.address;
	}

}
