package dev.anet.boot.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Turns {@code anet.pool.ssl.*} and {@code anet.server.ssl.*} into the core's {@link TlsConfig},
 * with the SSL bundle's context and options (protocols, ciphers). A bundle that is reloaded
 * ({@code spring.ssl.bundle.*.reload-on-update=true}) gives the next connections its new context;
 * open connections keep theirs.
 */
final class AnetTls {

	private static final Logger logger = LoggerFactory.getLogger(AnetTls.class);

	private AnetTls() {
	}

	/**
	 * Return the pools' TLS configuration.
	 * @param ssl the {@code anet.pool.ssl} properties (or a named client's)
	 * @param bundles the application's SSL bundles, if any
	 * @param prefix the properties' prefix, such as {@code anet.pool.ssl}, for error messages
	 * @return the configuration, or {@code null} when TLS is off
	 * @throws InvalidConfigurationPropertyValueException if the bundle is unknown
	 */
	static @Nullable TlsConfig client(AnetPoolSslProperties ssl, @Nullable SslBundles bundles, String prefix) {
		if (!ssl.isOn()) {
			return null;
		}
		TlsConfig.Builder builder = TlsConfig.builder()
			.serverName(ssl.getServerName())
			.verifyHostname(ssl.isVerifyHostname())
			.handshakeTimeout(ssl.getHandshakeTimeout());
		String bundle = ssl.getBundle();
		if (bundle != null) {
			bundle(prefix + ".bundle", bundle, bundles, builder);
		}
		return builder.build();
	}

	/**
	 * Return the server's TLS configuration.
	 * @param ssl the {@code anet.server.ssl} properties
	 * @param bundles the application's SSL bundles, if any
	 * @return the configuration, or {@code null} when TLS is off
	 * @throws InvalidConfigurationPropertyValueException if the bundle is missing or unknown
	 */
	static @Nullable TlsConfig server(AnetServerSslProperties ssl, @Nullable SslBundles bundles) {
		if (!ssl.isOn()) {
			return null;
		}
		String bundle = ssl.getBundle();
		if (bundle == null) {
			throw new InvalidConfigurationPropertyValueException("anet.server.ssl.bundle", null,
					"anet.server.ssl.enabled=true needs an SSL bundle with the server's key store: set "
							+ "anet.server.ssl.bundle to a spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.* name.");
		}
		TlsConfig.Builder builder = TlsConfig.builder()
			.clientAuth(ssl.getClientAuth())
			.handshakeTimeout(ssl.getHandshakeTimeout());
		bundle("anet.server.ssl.bundle", bundle, bundles, builder);
		return builder.build();
	}

	private static void bundle(String property, String name, @Nullable SslBundles bundles, TlsConfig.Builder builder) {
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"No SSL bundles are configured (spring.ssl.bundle.*), so bundle '" + name + "' cannot be found.");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name, "No SSL bundle named '" + name
					+ "' is configured; known bundles: " + bundles.getBundleNames()
					+ ". Define it as spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem." + name + ".*.");
		}
		AtomicReference<SSLContext> current = new AtomicReference<>(bundle.createSslContext());
		bundles.addBundleUpdateHandler(name, (updated) -> {
			current.set(updated.createSslContext());
			logger.info("SSL bundle '{}' ({}) was reloaded: new anet connections use it", name, property);
		});
		builder.sslContext(current::get);
		SslOptions options = bundle.getOptions();
		if (options.getEnabledProtocols() != null) {
			builder.protocols(List.of(options.getEnabledProtocols()));
		}
		if (options.getCiphers() != null) {
			builder.cipherSuites(List.of(options.getCiphers()));
		}
	}

}
