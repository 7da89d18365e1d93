package dev.anet.tls;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

import dev.anet.testsupport.TestCertificates;

/**
 * A client key manager that presents its one certificate whatever CAs the server asks for, to test
 * the server's own verification of a certificate from an unknown CA.
 */
final class AlwaysPresent extends X509ExtendedKeyManager {

	private final X509KeyManager delegate;

	private final String alias;

	private AlwaysPresent(X509KeyManager delegate, String alias) {
		this.delegate = delegate;
		this.alias = alias;
	}

	static SSLContext context(String keyStore, String trustStore) {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(TestCertificates.dir().resolve(keyStore))) {
				keys.load(in, TestCertificates.PASSWORD.toCharArray());
			}
			KeyStore trust = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(TestCertificates.dir().resolve(trustStore))) {
				trust.load(in, TestCertificates.PASSWORD.toCharArray());
			}
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(keys, TestCertificates.PASSWORD.toCharArray());
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			String alias = keys.aliases().nextElement();
			context.init(new javax.net.ssl.KeyManager[] {
					new AlwaysPresent((X509KeyManager) kmf.getKeyManagers()[0], alias) }, tmf.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		return this.alias;
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		return this.alias;
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		return new String[] { this.alias };
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		return this.delegate.getServerAliases(keyType, issuers);
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		return this.delegate.chooseServerAlias(keyType, issuers, socket);
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		return this.delegate.getCertificateChain(alias);
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		return this.delegate.getPrivateKey(alias);
	}

}
