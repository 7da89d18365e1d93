package dev.anet.tls;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

/**
 * Turns the JDK's TLS exceptions into {@link TlsHandshakeException}s whose message names the peer
 * and the reason in words ({@link TlsFailure}).
 */
final class TlsErrors {

	private TlsErrors() {
	}

	/**
	 * A failed handshake.
	 * @param name the peer, {@code host:port}
	 * @param side our end
	 * @param ex what failed
	 * @param timedOut whether the handshake timer fired
	 * @param timeout the handshake timeout
	 * @param bytesRead the bytes the handshake had read (none: the peer is not speaking TLS)
	 * @param nanos how long it took
	 * @return the exception to throw
	 */
	static TlsHandshakeException handshakeFailure(String name, TlsSide side, Exception ex, boolean timedOut,
			Duration timeout, long bytesRead, long nanos) {
		TlsFailure reason;
		String detail;
		if (timedOut) {
			reason = (bytesRead == 0) ? TlsFailure.NOT_TLS : TlsFailure.OTHER;
			detail = (bytesRead == 0) ? "no TLS handshake message within " + timeout.toMillis() + " ms"
					: "timed out after " + timeout.toMillis() + " ms (" + bytesRead + " bytes read)";
		}
		else {
			reason = TlsFailure.classify(ex, side);
			detail = ex.toString();
		}
		return new TlsHandshakeException("TLS handshake with " + name + " failed after "
				+ TimeUnit.NANOSECONDS.toMillis(nanos) + " ms: " + reason.description() + " [" + detail + "]", reason,
				ex);
	}

	/**
	 * A TLS error once the handshake was done (e.g. a TLS 1.3 server refusing the client's
	 * certificate after the client finished its handshake).
	 * @param name the peer, {@code host:port}
	 * @param side our end
	 * @param ex what failed
	 * @return the exception to throw
	 */
	static TlsHandshakeException connectionFailure(String name, TlsSide side, SSLException ex) {
		TlsFailure reason = TlsFailure.classify(ex, side);
		String what = (reason == TlsFailure.OTHER) ? "TLS error" : reason.description();
		return new TlsHandshakeException("TLS connection with " + name + " failed: " + what + " [" + ex + "]", reason,
				ex);
	}

}
