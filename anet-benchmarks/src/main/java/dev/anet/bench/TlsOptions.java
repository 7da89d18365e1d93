package dev.anet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.anet.tls.TlsClientAuth;
import dev.anet.tls.TlsConfig;
import dev.anet.tls.SslSocketRecords;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The reference peers' TLS flags ({@code ../shared/peers/README.md}, "TLS"), for {@code server}
 * and {@code load}, reading the same certificate folder: {@code server.p12}, {@code client.p12} and
 * {@code truststore.p12}, PKCS12, password {@code changeit} (made by the peers'
 * {@code certs/make-certs.sh DIR}).
 */
public final class TlsOptions {

	private static final char[] PASSWORD = "changeit".toCharArray();

	@Option(names = "--tls", description = "Run the protocol over TLS (the JDK's TLS).")
	boolean tls;

	@Option(names = "--tls-dir", defaultValue = "target/certs",
			description = "Folder with server.p12, client.p12 and truststore.p12 (peers' make-certs.sh).")
	Path dir = Path.of("target/certs");

	@Option(names = "--tls-protocol", defaultValue = "TLSv1.3",
			description = "TLSv1.3, TLSv1.2, or both comma-separated.")
	String protocol = "TLSv1.3";

	@Option(names = "--client-auth", defaultValue = "none", description = "Server: none, want or need.")
	String clientAuth = "none";

	@Option(names = "--no-client-cert", description = "Client: never present the client certificate.")
	boolean noClientCert;

	@Option(names = "--tls-impl", defaultValue = "engine",
			description = "anet's TLS: engine (SSLEngine, the library's) or socket (the SSLSocket prototype).")
	Impl impl = Impl.engine;

	/** anet's record layer. */
	enum Impl {

		/** {@code SSLEngine} over the blocking channel: the library's. */
		engine,

		/** The {@code SSLSocket} prototype ({@link SslSocketRecords}). */
		socket

	}

	/**
	 * Return the options of {@code --tls --tls-dir DIR} (for the JMH benchmarks).
	 * @param dir the certificate folder
	 * @return the options
	 */
	public static TlsOptions of(Path dir) {
		TlsOptions options = new TlsOptions();
		options.tls = true;
		options.dir = dir;
		return options;
	}

	/**
	 * Return the server's TLS.
	 * @return the configuration, or {@code null} without {@code --tls}
	 */
	public @Nullable TlsConfig server() {
		if (!this.tls) {
			return null;
		}
		installImpl();
		return TlsConfig.builder()
			.sslContext(context("server.p12", "truststore.p12"))
			.protocols(List.of(this.protocol.split(",")))
			.clientAuth(TlsClientAuth.valueOf(this.clientAuth.toUpperCase(java.util.Locale.ROOT)))
			.build();
	}

	/**
	 * Return the client's TLS.
	 * @return the configuration, or {@code null} without {@code --tls}
	 */
	public @Nullable TlsConfig client() {
		if (!this.tls) {
			return null;
		}
		installImpl();
		return TlsConfig.builder()
			.sslContext(context(this.noClientCert ? null : "client.p12", "truststore.p12"))
			.protocols(List.of(this.protocol.split(",")))
			.build();
	}

	private void installImpl() {
		SslSocketRecords.install(this.impl == Impl.socket);
	}

	private SSLContext context(@Nullable String keyStore, String trustStore) {
		try {
			KeyManagerFactory kmf = null;
			if (keyStore != null) {
				kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(load(keyStore), PASSWORD);
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(load(trustStore));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((kmf != null) ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Cannot read the TLS keystores in " + this.dir.toAbsolutePath()
					+ " (make them with ../shared/peers/certs/make-certs.sh " + this.dir + "): " + ex, ex);
		}
	}

	private KeyStore load(String file) throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.dir.resolve(file))) {
			store.load(in, PASSWORD);
		}
		return store;
	}

}
