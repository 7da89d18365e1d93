package dev.anet.tls;

import java.io.IOException;

/**
 * A TLS handshake failed, or a TLS connection failed afterwards (e.g. the server refused the
 * client's certificate once a TLS 1.3 client had finished its side). The message names the peer and
 * the reason in words (see {@link TlsFailure}); the cause is the JDK's exception.
 */
public class TlsHandshakeException extends IOException {

	private static final long serialVersionUID = 1L;

	private final TlsFailure reason;

	public TlsHandshakeException(String message, TlsFailure reason, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * Return the reason.
	 * @return what went wrong
	 */
	public TlsFailure reason() {
		return this.reason;
	}

}
