package dev.anet.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.anet.tls.TlsConfig;
import dev.anet.tls.TlsHandshakeException;
import dev.anet.tls.TlsTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of TLS: the handshake of an accepted connection (on its reader thread), with
 * failures logged at WARN at most once per peer address per minute, and what a handler may ask
 * about the session.
 */
final class ServerTls {

	private static final Logger logger = LoggerFactory.getLogger(ServerTls.class);

	private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	/** Beyond this many remembered peers the memory of past warnings is dropped. */
	private static final int MAX_REMEMBERED_PEERS = 10_000;

	/** Peer address → when its last failure was logged at WARN. */
	private static final Map<InetAddress, Long> lastWarned = new ConcurrentHashMap<>();

	private ServerTls() {
	}

	/**
	 * Run the handshake of a new connection; the listener hears of it either way.
	 * @param remote the peer, for log messages
	 * @param transport its TLS transport
	 * @param tls the server's TLS configuration
	 * @param listener told of the handshake
	 * @param draining whether the server stops (a failure is then not logged)
	 * @return whether it succeeded (if not, the channel is closed)
	 */
	static boolean handshake(InetSocketAddress remote, TlsTransport transport, TlsConfig tls, ServerListener listener,
			Draining draining) {
		try {
			transport.handshake(tls.handshakeTimeout(TlsConfig.DEFAULT_SERVER_HANDSHAKE_TIMEOUT), listener);
			if (logger.isDebugEnabled()) {
				logger.debug("TLS connection from {}: {}", remote, transport);
			}
			return true;
		}
		catch (TlsHandshakeException ex) {
			if (!draining.isStopping()) {
				failed(remote, ex);
			}
			return false;
		}
	}

	private static void failed(InetSocketAddress remote, TlsHandshakeException ex) {
		InetAddress peer = remote.getAddress();
		long now = System.nanoTime();
		Long last = lastWarned.get(peer);
		boolean warn = last == null || now - last >= WARN_INTERVAL_NANOS;
		if (warn) {
			if (lastWarned.size() >= MAX_REMEMBERED_PEERS) {
				lastWarned.clear();
			}
			lastWarned.put(peer, now);
			logger.warn("Closing anet connection from {}: {} (further failures from {} are logged at DEBUG for a minute)",
					remote, ex.getMessage(), peer.getHostAddress());
		}
		else {
			logger.debug("Closing anet connection from {}: {}", remote, ex.getMessage());
		}
	}

	static List<X509Certificate> peerCertificates(@Nullable SSLSession session) {
		if (session == null) {
			return List.of();
		}
		try {
			Certificate[] chain = session.getPeerCertificates();
			List<X509Certificate> certificates = new ArrayList<>(chain.length);
			for (Certificate certificate : chain) {
				if (certificate instanceof X509Certificate x509) {
					certificates.add(x509);
				}
			}
			return List.copyOf(certificates);
		}
		catch (SSLPeerUnverifiedException ex) {
			return List.of();
		}
	}

	static @Nullable Principal peerPrincipal(@Nullable SSLSession session) {
		if (session == null) {
			return null;
		}
		try {
			return session.getPeerPrincipal();
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

}
