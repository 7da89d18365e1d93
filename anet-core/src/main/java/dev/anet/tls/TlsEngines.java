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
		String host = address.getHostString();
		SSLEngine engine = config.sslContext().createSSLEngine(host, address.getPort());
		engine.setUseClientMode(true);
		SSLParameters parameters = common(engine, config);
		if (config.verifyHostname()) {
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
		}
		String sni = sniName(config.serverName(), host);
		if (sni != null) {
			parameters.setServerNames(List.of(new SNIHostName(sni)));
		}
		engine.setSSLParameters(parameters);
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
		SSLParameters parameters = common(engine, config);
		switch (config.clientAuth()) {
			case NEED -> parameters.setNeedClientAuth(true);
			case WANT -> parameters.setWantClientAuth(true);
			case NONE -> parameters.setNeedClientAuth(false);
		}
		engine.setSSLParameters(parameters);
		return engine;
	}

	private static SSLParameters common(SSLEngine engine, TlsConfig config) {
		SSLParameters parameters = engine.getSSLParameters();
		if (!config.protocols().isEmpty()) {
			parameters.setProtocols(config.protocols().toArray(String[]::new));
		}
		if (!config.cipherSuites().isEmpty()) {
			parameters.setCipherSuites(config.cipherSuites().toArray(String[]::new));
		}
		return parameters;
	}

	static @Nullable String sniName(@Nullable String serverName, String host) {
		if (serverName != null) {
			return serverName;
		}
		boolean ipLiteral = host.indexOf(':') >= 0 || host.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
		return (ipLiteral || host.endsWith(".")) ? null : host;
	}

}
