package dev.anet.tls;

import java.security.cert.CertificateExpiredException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Why a TLS handshake failed, in words a person can act on. {@link #classify} reads the JDK's
 * exception (its type, its message and its causes) to tell them apart.
 */
public enum TlsFailure {

	/** The peer's certificate chain does not lead to a CA in our trust store. */
	UNKNOWN_CA("unknown certificate authority: the peer's certificate is not signed by a CA in the trust store "
			+ "(add the peer's CA to the trust store)"),

	/** The peer did not trust the certificate we presented. */
	CERTIFICATE_REFUSED("the peer refused our certificate (its trust store does not hold our CA)"),

	/** The server's certificate does not name the host we dialled. */
	HOSTNAME_MISMATCH("hostname mismatch: the server's certificate does not name the host dialled "
			+ "(dial a name the certificate holds, set the server name, or turn hostname verification off)"),

	/** Client and server have no protocol version or cipher suite in common. */
	NO_COMMON_PROTOCOL("no common protocol: client and server share no TLS version or cipher suite "
			+ "(compare the enabled protocols and cipher suites of both ends)"),

	/** The server requires a client certificate and got none it accepts. */
	CLIENT_CERTIFICATE_REQUIRED("client certificate required: the server requires a client certificate and "
			+ "was given none (or none it trusts): give the client a key store"),

	/** A certificate on the way has expired or is not yet valid. */
	CERTIFICATE_EXPIRED("certificate expired or not yet valid"),

	/** The peer sent bytes that are not TLS, or nothing at all within the handshake timeout. */
	NOT_TLS("peer is not speaking TLS (is it a plaintext endpoint? then turn TLS off for it)"),

	/** The peer closed the connection during the handshake without saying why. */
	PEER_CLOSED("the peer closed the connection during the TLS handshake (it may refuse this client, "
			+ "or not speak TLS; see the peer's log)"),

	/** Anything else; the JDK's message says more. */
	OTHER("TLS handshake failed");

	private final String description;

	TlsFailure(String description) {
		this.description = description;
	}

	/**
	 * Return what the failure means and what to do.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Tell which failure an exception of the JDK's TLS stands for.
	 * @param failure the exception
	 * @param side the end that saw it
	 * @return the failure
	 */
	public static TlsFailure classify(Throwable failure, TlsSide side) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof TlsHandshakeException tls) {
				return tls.reason();
			}
			if (t instanceof CertificateExpiredException
					|| t instanceof java.security.cert.CertificateNotYetValidException) {
				return CERTIFICATE_EXPIRED;
			}
			TlsFailure found = fromMessage(t.getMessage(), side);
			if (found != null) {
				return found;
			}
		}
		if (failure instanceof java.io.EOFException) {
			return PEER_CLOSED;
		}
		return OTHER;
	}

	private static @Nullable TlsFailure fromMessage(@Nullable String message, TlsSide side) {
		if (message == null) {
			return null;
		}
		String m = message.toLowerCase(Locale.ROOT);
		if (m.contains("no subject alternative") || m.contains("no name matching")) {
			return HOSTNAME_MISMATCH;
		}
		if (m.contains("empty client certificate chain") || m.contains("certificate_required")) {
			return CLIENT_CERTIFICATE_REQUIRED;
		}
		if (m.contains("received fatal alert: bad_certificate")) {
			// the JDK server's answer to a client that sent no certificate (or one it cannot verify)
			return (side == TlsSide.CLIENT) ? CLIENT_CERTIFICATE_REQUIRED : CERTIFICATE_REFUSED;
		}
		if (m.contains("received fatal alert: unknown_ca") || m.contains("received fatal alert: certificate_unknown")) {
			return CERTIFICATE_REFUSED;
		}
		if (m.contains("pkix path") || m.contains("unable to find valid certification path")
				|| m.contains("signature check failed") || m.contains("no trusted certificate")
				|| m.contains("trustanchors parameter must be non-empty")) {
			return UNKNOWN_CA;
		}
		if (m.contains("certificate expired") || m.contains("certificate_expired")
				|| m.contains("validity check failed")) {
			return CERTIFICATE_EXPIRED;
		}
		if (m.contains("protocol_version") || m.contains("no appropriate protocol")
				|| m.contains("cipher suites are inappropriate") || m.contains("no cipher suites in common")
				|| m.contains("handshake_failure") || m.contains("insufficient_security")
				|| m.contains("client requested protocol") || m.contains("the server selected protocol version")
				|| m.contains("no negotiable cipher suite")) {
			return NO_COMMON_PROTOCOL;
		}
		if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")
				|| m.contains("not an ssl/tls record")) {
			return NOT_TLS;
		}
		return null;
	}

}
