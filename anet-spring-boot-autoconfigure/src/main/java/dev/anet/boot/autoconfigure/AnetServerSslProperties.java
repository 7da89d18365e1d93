package dev.anet.boot.autoconfigure;

import java.time.Duration;

import dev.anet.tls.TlsClientAuth;
import org.jspecify.annotations.Nullable;

/**
 * {@code anet.server.ssl.*}: TLS of the server's connections. A bundle name switches TLS on; a
 * server needs one (its key store).
 */
public class AnetServerSslProperties {

	/**
	 * Whether to use TLS.
	 */
	private boolean enabled;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) with the server's key store (and the trust store
	 * for client certificates).
	 */
	private @Nullable String bundle;

	/**
	 * Whether to ask clients for a certificate (none, want, need).
	 */
	private TlsClientAuth clientAuth = TlsClientAuth.NONE;

	/**
	 * How long a client's TLS handshake may take.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getBundle() {
		return this.bundle;
	}

	public void setBundle(@Nullable String bundle) {
		this.bundle = bundle;
	}

	public TlsClientAuth getClientAuth() {
		return this.clientAuth;
	}

	public void setClientAuth(TlsClientAuth clientAuth) {
		this.clientAuth = clientAuth;
	}

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	/**
	 * Return whether TLS is on: enabled, or a bundle named.
	 * @return whether on
	 */
	boolean isOn() {
		return this.enabled || this.bundle != null;
	}

}
