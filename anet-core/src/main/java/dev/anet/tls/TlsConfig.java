package dev.anet.tls;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import dev.anet.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Immutable TLS configuration of a pool ({@code PoolConfig.Builder.tls}) or a server
 * ({@code ServerConfig.Builder.tls}). Build with {@link #builder()}.
 *
 * <ul>
 * <li>{@code sslContext}: the keys and trust; by default the JDK's default context (its default
 * trust store, no client certificate). A supplier is asked for every new connection, so a rotated
 * certificate is used by the next connection while open ones keep theirs.</li>
 * <li>{@code protocols}, {@code cipherSuites}: the enabled ones; empty keeps the JDK's defaults.</li>
 * <li>{@code handshakeTimeout}: how long a handshake may take; {@code null} means the side's default
 * (a pool: its {@code dialTimeout}; a server: {@link #DEFAULT_SERVER_HANDSHAKE_TIMEOUT}).</li>
 * <li>client side: {@code serverName}, the SNI name sent (and checked) instead of the dialled host;
 * {@code verifyHostname} ({@value #DEFAULT_VERIFY_HOSTNAME}), whether the server's certificate must
 * name the dialled host (or the server name).</li>
 * <li>server side: {@code clientAuth} ({@link TlsClientAuth#NONE} by default).</li>
 * </ul>
 */
public final class TlsConfig {

	/** The server's handshake timeout when none is set. */
	public static final Duration DEFAULT_SERVER_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	public static final boolean DEFAULT_VERIFY_HOSTNAME = true;

	public static final TlsClientAuth DEFAULT_CLIENT_AUTH = TlsClientAuth.NONE;

	private final Supplier<SSLContext> sslContext;

	private final boolean defaultContext;

	private final List<String> protocols;

	private final List<String> cipherSuites;

	private final @Nullable Duration handshakeTimeout;

	private final @Nullable String serverName;

	private final boolean verifyHostname;

	private final TlsClientAuth clientAuth;

	private TlsConfig(Builder builder) {
		this.defaultContext = builder.sslContext == null;
		this.sslContext = (builder.sslContext != null) ? builder.sslContext : TlsConfig::jdkDefault;
		this.protocols = List.copyOf(builder.protocols);
		this.cipherSuites = List.copyOf(builder.cipherSuites);
		this.handshakeTimeout = builder.handshakeTimeout;
		this.serverName = builder.serverName;
		this.verifyHostname = builder.verifyHostname;
		this.clientAuth = builder.clientAuth;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the TLS context for a new connection.
	 * @return the context
	 */
	public SSLContext sslContext() {
		return Objects.requireNonNull(this.sslContext.get(), "sslContext supplier returned null");
	}

	/**
	 * Return whether the JDK's default context is used (no context was given).
	 * @return whether default
	 */
	public boolean isDefaultContext() {
		return this.defaultContext;
	}

	public List<String> protocols() {
		return this.protocols;
	}

	public List<String> cipherSuites() {
		return this.cipherSuites;
	}

	public @Nullable Duration handshakeTimeout() {
		return this.handshakeTimeout;
	}

	/**
	 * Return the handshake timeout, or the given default when none is set.
	 * @param fallback the side's default
	 * @return the timeout
	 */
	public Duration handshakeTimeout(Duration fallback) {
		return (this.handshakeTimeout != null) ? this.handshakeTimeout : fallback;
	}

	public @Nullable String serverName() {
		return this.serverName;
	}

	public boolean verifyHostname() {
		return this.verifyHostname;
	}

	public TlsClientAuth clientAuth() {
		return this.clientAuth;
	}

	@Override
	public String toString() {
		return "TlsConfig[protocols=" + (this.protocols.isEmpty() ? "default" : this.protocols) + ", cipherSuites="
				+ (this.cipherSuites.isEmpty() ? "default" : this.cipherSuites.size()) + ", handshakeTimeout="
				+ this.handshakeTimeout + ", serverName=" + this.serverName + ", verifyHostname="
				+ this.verifyHostname + ", clientAuth=" + this.clientAuth + "]";
	}

	private static SSLContext jdkDefault() {
		try {
			return SSLContext.getDefault();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JDK has no default TLS context", ex);
		}
	}

	/**
	 * Builder of {@link TlsConfig}. Defaults: the JDK's default context, the JDK's protocols and
	 * cipher suites, the side's handshake timeout, no server name, hostname verification on, no
	 * client authentication.
	 */
	public static final class Builder {

		private @Nullable Supplier<SSLContext> sslContext;

		private List<String> protocols = List.of();

		private List<String> cipherSuites = List.of();

		private @Nullable Duration handshakeTimeout;

		private @Nullable String serverName;

		private boolean verifyHostname = DEFAULT_VERIFY_HOSTNAME;

		private TlsClientAuth clientAuth = DEFAULT_CLIENT_AUTH;

		private Builder() {
		}

		public Builder sslContext(SSLContext sslContext) {
			Checks.notNull("sslContext", sslContext);
			this.sslContext = () -> sslContext;
			return this;
		}

		/**
		 * Use a context that may change: the supplier is asked for each new connection.
		 * @param sslContext the supplier
		 * @return this builder
		 */
		public Builder sslContext(Supplier<SSLContext> sslContext) {
			this.sslContext = Checks.notNull("sslContext", sslContext);
			return this;
		}

		public Builder protocols(String... protocols) {
			return protocols(List.of(protocols));
		}

		public Builder protocols(List<String> protocols) {
			this.protocols = List.copyOf(Checks.notNull("protocols", protocols));
			return this;
		}

		public Builder cipherSuites(String... cipherSuites) {
			return cipherSuites(List.of(cipherSuites));
		}

		public Builder cipherSuites(List<String> cipherSuites) {
			this.cipherSuites = List.copyOf(Checks.notNull("cipherSuites", cipherSuites));
			return this;
		}

		public Builder handshakeTimeout(@Nullable Duration handshakeTimeout) {
			if (handshakeTimeout != null) {
				Checks.positive("handshakeTimeout", handshakeTimeout);
			}
			this.handshakeTimeout = handshakeTimeout;
			return this;
		}

		public Builder serverName(@Nullable String serverName) {
			if (serverName != null && serverName.isBlank()) {
				throw new IllegalArgumentException("serverName must not be blank but was '" + serverName + "'");
			}
			this.serverName = serverName;
			return this;
		}

		public Builder verifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
			return this;
		}

		public Builder clientAuth(TlsClientAuth clientAuth) {
			this.clientAuth = Checks.notNull("clientAuth", clientAuth);
			return this;
		}

		public TlsConfig build() {
			return new TlsConfig(this);
		}

	}

}
