package dev.anet.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import dev.anet.internal.Sockets;
import dev.anet.tls.TlsTransport;
import dev.anet.tls.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of an {@link AnetServer} ({@code anet-accept}): binds the listening socket,
 * accepts connections in blocking mode, refuses those over {@code maxConns}, sets TCP_NODELAY and
 * keep-alive on the others, opens their {@link Connection} (with the TLS engine, whose handshake
 * runs on the reader) and starts one reader thread for each.
 */
final class Acceptor implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Acceptor.class);

	/** Listen backlog; the kernel caps it (somaxconn). */
	private static final int BACKLOG = 1024;

	/** Pause after a failed accept (e.g. out of file descriptors) so that the loop does not spin. */
	private static final long ACCEPT_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final ServerSocketChannel serverChannel;

	private final ServerConfig config;

	private final Connections connections;

	private final Function<Connection, Runnable> readers;

	private final ServerThreads threads;

	private final ServerListener listener;

	private final Draining draining;

	private final int port;

	/**
	 * Create the accept loop.
	 * @param serverChannel the bound listening socket
	 * @param config the configuration
	 * @param connections where accepted connections are opened
	 * @param readers makes the reader of a connection
	 * @param threads makes the reader threads
	 * @param listener told of refused connections
	 * @param draining whether the server stops
	 * @param port the bound port, for log messages
	 */
	Acceptor(ServerSocketChannel serverChannel, ServerConfig config, Connections connections,
			Function<Connection, Runnable> readers, ServerThreads threads, ServerListener listener, Draining draining,
			int port) {
		this.serverChannel = serverChannel;
		this.config = config;
		this.connections = connections;
		this.readers = readers;
		this.threads = threads;
		this.listener = listener;
		this.draining = draining;
		this.port = port;
	}

	/**
	 * Open a blocking listening socket with SO_REUSEADDR (and SO_REUSEPORT when configured and
	 * supported) and bind it.
	 * @param config the configuration
	 * @return the bound channel
	 * @throws UncheckedIOException "Failed to start anet server on port N", with the
	 * {@link java.net.BindException} as the cause when the port is taken
	 */
	static ServerSocketChannel bind(ServerConfig config) {
		ServerSocketChannel channel = null;
		try {
			channel = ServerSocketChannel.open();
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			if (config.reusePort()) {
				if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
					channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				}
				else {
					logger.warn("SO_REUSEPORT is not supported on this platform; binding without it");
				}
			}
			channel.bind(new InetSocketAddress(config.address(), config.port()), BACKLOG);
			return channel;
		}
		catch (IOException | UnresolvedAddressException ex) {
			if (channel != null) {
				closeQuietly(channel);
			}
			IOException cause = (ex instanceof IOException io) ? io
					: new UnknownHostException("Cannot resolve " + config.address());
			throw new UncheckedIOException("Failed to start anet server on port " + config.port(), cause);
		}
	}

	@Override
	public void run() {
		while (!this.draining.isStopping()) {
			SocketChannel channel;
			try {
				channel = this.serverChannel.accept();
			}
			catch (ClosedChannelException ex) {
				break;
			}
			catch (IOException ex) {
				if (this.draining.isStopping() || !this.serverChannel.isOpen()) {
					break;
				}
				logger.warn("anet server on port {} failed to accept a connection; retrying", this.port, ex);
				LockSupport.parkNanos(ACCEPT_FAILURE_PAUSE_NANOS);
				continue;
			}
			try {
				accepted(channel);
			}
			catch (RuntimeException | Error ex) {
				logger.error("anet server on port {} failed to set up a connection", this.port, ex);
				closeQuietly(channel);
			}
		}
		logger.debug("anet server on port {} stopped accepting", this.port);
	}

	private void accepted(SocketChannel channel) {
		InetSocketAddress remote;
		InetSocketAddress local;
		try {
			remote = (InetSocketAddress) channel.getRemoteAddress();
			local = (InetSocketAddress) channel.getLocalAddress();
			int maxConns = this.config.maxConns();
			if (maxConns > 0 && this.connections.count() >= maxConns) {
				this.listener.connectionRejected(remote);
				closeQuietly(channel);
				logger.debug("Refused anet connection from {}: {} connections open (maxConns)", remote, maxConns);
				return;
			}
			Sockets.configure(channel, true, keepAliveSeconds(this.config.keepAliveInterval()));
		}
		catch (IOException ex) {
			logger.debug("Could not set up an accepted anet connection; closing it", ex);
			closeQuietly(channel);
			return;
		}
		Transport transport;
		try {
			// the engine only: the handshake runs on the connection's reader thread
			transport = (this.config.tls() != null) ? TlsTransport.server(channel, remote, this.config.tls())
					: Transport.plain(channel);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not set up TLS for a connection from {}; closing it", remote, ex);
			closeQuietly(channel);
			return;
		}
		Connection connection = this.connections.open(transport, remote, local);
		try {
			this.threads.newThread(connection.readerThreadName(), true, this.readers.apply(connection)).start();
		}
		catch (RuntimeException | Error ex) {
			connection.close();
			throw ex;
		}
		if (this.draining.isStopping()) {
			// stop() may have looked at the connections before this one was added
			connection.close();
		}
	}

	private static long keepAliveSeconds(Duration interval) {
		return interval.isZero() ? 0 : Math.max(1, interval.toSeconds());
	}

	static void closeQuietly(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close {}", channel, ex);
		}
	}

}
