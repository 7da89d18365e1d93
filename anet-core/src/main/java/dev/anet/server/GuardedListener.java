package dev.anet.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.anet.tls.TlsSide;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServerListener} that logs and swallows whatever the user's listener throws, so that a
 * failing metrics hook never breaks a connection, a request or the server.
 */
final class GuardedListener implements ServerListener {

	private static final Logger logger = LoggerFactory.getLogger(GuardedListener.class);

	private final ServerListener delegate;

	private GuardedListener(ServerListener delegate) {
		this.delegate = delegate;
	}

	static ServerListener of(ServerListener listener) {
		return (listener == ServerListener.NONE || listener instanceof GuardedListener) ? listener
				: new GuardedListener(listener);
	}

	@Override
	public void connectionOpened(ServerConnection connection) {
		try {
			this.delegate.connectionOpened(connection);
		}
		catch (RuntimeException ex) {
			failed("connectionOpened", ex);
		}
	}

	@Override
	public void connectionClosed(ServerConnection connection) {
		try {
			this.delegate.connectionClosed(connection);
		}
		catch (RuntimeException ex) {
			failed("connectionClosed", ex);
		}
	}

	@Override
	public void connectionRejected(SocketAddress remoteAddress) {
		try {
			this.delegate.connectionRejected(remoteAddress);
		}
		catch (RuntimeException ex) {
			failed("connectionRejected", ex);
		}
	}

	@Override
	public void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome, long nanos) {
		try {
			this.delegate.requestCompleted(connection, request, outcome, nanos);
		}
		catch (RuntimeException ex) {
			failed("requestCompleted", ex);
		}
	}

	@Override
	public void invalidFrame(ServerConnection connection, int length) {
		try {
			this.delegate.invalidFrame(connection, length);
		}
		catch (RuntimeException ex) {
			failed("invalidFrame", ex);
		}
	}

	@Override
	public void tlsHandshake(TlsSide side, InetSocketAddress peer, long nanos, @Nullable Throwable failure) {
		try {
			this.delegate.tlsHandshake(side, peer, nanos, failure);
		}
		catch (RuntimeException ex) {
			failed("tlsHandshake", ex);
		}
	}

	private void failed(String method, RuntimeException ex) {
		logger.warn("ServerListener {}.{} failed; ignoring", this.delegate.getClass().getName(), method, ex);
	}

}
