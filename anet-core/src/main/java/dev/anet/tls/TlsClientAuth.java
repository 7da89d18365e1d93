package dev.anet.tls;

/**
 * Whether a TLS server asks its clients for a certificate.
 */
public enum TlsClientAuth {

	/** No client certificate is asked for. */
	NONE,

	/** A client certificate is asked for; a client without one is still accepted. */
	WANT,

	/** A client certificate is required; a client without a trusted one is refused. */
	NEED

}
