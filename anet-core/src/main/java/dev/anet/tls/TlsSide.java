package dev.anet.tls;

import java.util.Locale;

/**
 * Which end of a connection ran a TLS handshake.
 */
public enum TlsSide {

	/** The pool's end: the handshake is part of a dial. */
	CLIENT,

	/** The server's end of an accepted connection. */
	SERVER;

	/**
	 * Return the lower-case name, as metrics tag it.
	 * @return {@code client} or {@code server}
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
