package dev.anet.server;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;

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

	/**
	 * Return the TLS protocol the connection negotiated.
	 * @return e.g. {@code TLSv1.3}, or {@code null} for a plain connection
	 */
	default @Nullable String tlsProtocol() {
		return null;
	}

	/**
	 * Return the client's certificate chain, verified against the server's trust store during the
	 * handshake (client first).
	 * @return the chain; empty for a plain connection or a client that presented none
	 */
	default List<X509Certificate> peerCertificates() {
		return List.of();
	}

	/**
	 * Return the subject of the client's certificate, to authorize by it.
	 * @return the principal, or {@code null} for a plain connection or a client that presented no
	 * certificate
	 */
	default @Nullable Principal peerPrincipal() {
		return null;
	}

}
