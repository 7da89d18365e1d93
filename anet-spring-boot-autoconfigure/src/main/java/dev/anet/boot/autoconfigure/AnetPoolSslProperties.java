package dev.anet.boot.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * {@code anet.pool.ssl.*}: TLS of the pools' connections. A bundle name switches TLS on.
 */
public class AnetPoolSslProperties {

	/**
	 * Whether to use TLS. Without a bundle the JDK's default trust store is used.
	 */
	private boolean enabled;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) with the trust store (and the client
	 * certificate, for mutual TLS).
	 */
	private @Nullable String bundle;

	/**
	 * SNI name to send, and to check the server's certificate against, instead of the dialled host.
	 */
	private @Nullable String serverName;

	/**
	 * Whether the server's certificate must name the dialled host (or the server name).
	 */
	private boolean verifyHostname = true;

	/**
	 * How long a TLS handshake may take. Unset: the dial timeout.
	 */
	private @Nullable Duration handshakeTimeout;

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

	public @Nullable String getServerName() {
		return this.serverName;
	}

	public void setServerName(@Nullable String serverName) {
		this.serverName = serverName;
	}

	public boolean isVerifyHostname() {
		return this.verifyHostname;
	}

	public void setVerifyHostname(boolean verifyHostname) {
		this.verifyHostname = verifyHostname;
	}

	public @Nullable Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(@Nullable Duration handshakeTimeout) {
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
