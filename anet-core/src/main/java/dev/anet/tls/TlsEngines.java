package dev.anet.tls;

import java.net.InetSocketAddress;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link SSLEngine} of a new connection from a {@link TlsConfig}.
 */
final class TlsEngines {

	private TlsEngines() {
	}

	/**
	 * Make a client engine: SNI (the server name, else the dialled host when it is a name), and
	 * endpoint identification {@code HTTPS} when hostname verification is on (the JDK then checks
	 * the certificate against the SNI name, else the dialled host).
	 * @param config the configuration
	 * @param address the dialled address
	 * @return the engine
	 */
	static SSLEngine client(TlsConfig config, InetSocketAddress address) {
		SSLEngine engine = config.sslContext().createSSLEngine(address.getHostString(), address.getPort());
		engine.setUseClientMode(true);
		engine.setSSLParameters(clientParameters(engine.getSSLParameters(), config, address));
		return engine;
	}

	/**
	 * Make a server engine with the configuration's client authentication.
	 * @param config the configuration
	 * @return the engine
	 */
	static SSLEngine server(TlsConfig config) {
		SSLEngine engine = config.sslContext().createSSLEngine();
		engine.setUseClientMode(false);
		engine.setSSLParameters(serverParameters(engine.getSSLParameters(), config));
		return engine;
	}

	/**
	 * Set a client's parameters (also for the benchmarks' {@code SSLSocket} prototype).
	 * @param parameters the engine's or socket's own
	 * @param config the configuration
	 * @param address the dialled address
	 * @return the parameters
	 */
	static SSLParameters clientParameters(SSLParameters parameters, TlsConfig config, InetSocketAddress address) {
		common(parameters, config);
		if (config.verifyHostname()) {
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
		}
		String sni = sniName(config.serverName(), address.getHostString());
		if (sni != null) {
			parameters.setServerNames(List.of(new SNIHostName(sni)));
		}
		return parameters;
	}

	/**
	 * Set a server's parameters (also for the benchmarks' {@code SSLSocket} prototype).
	 * @param parameters the engine's or socket's own
	 * @param config the configuration
	 * @return the parameters
	 */
	static SSLParameters serverParameters(SSLParameters parameters, TlsConfig config) {
		common(parameters, config);
		switch (config.clientAuth()) {
			case NEED -> parameters.setNeedClientAuth(true);
			case WANT -> parameters.setWantClientAuth(true);
			case NONE -> parameters.setNeedClientAuth(false);
		}
		return parameters;
	}

	private static void common(SSLParameters parameters, TlsConfig config) {
		if (!config.protocols().isEmpty()) {
			parameters.setProtocols(config.protocols().toArray(String[]::new));
		}
		if (!config.cipherSuites().isEmpty()) {
			parameters.setCipherSuites(config.cipherSuites().toArray(String[]::new));
		}
	}

	static @Nullable String sniName(@Nullable String serverName, String host) {
		if (serverName != null) {
			return serverName;
		}
		boolean ipLiteral = host.indexOf(':') >= 0 || host.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
		return (ipLiteral || host.endsWith(".")) ? null : host;
	}

}
