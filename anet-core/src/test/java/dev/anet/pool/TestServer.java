package dev.anet.pool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain TCP server on 127.0.0.1 for the pool tests: an accept thread, and for every accepted
 * socket a reader thread that counts the bytes it receives and notes end of stream.
 */
final class TestServer implements AutoCloseable {

	private final ServerSocket socket;

	private final Thread acceptor;

	private final List<Peer> peers = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private TestServer(ServerSocket socket) {
		this.socket = socket;
		this.acceptor = new Thread(this::acceptLoop, "test-server-accept-" + socket.getLocalPort());
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** Start a server on a free port. */
	static TestServer start() throws IOException {
		return startOn(0);
	}

	/** Start a server on the given port (with SO_REUSEADDR, so that a port just closed can be bound again). */
	static TestServer startOn(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		try {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		return new TestServer(socket);
	}

	/** A loopback port that was free a moment ago and has nothing listening on it now. */
	static int deadPort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
	}

	static InetSocketAddress loopback(int port) {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
	}

	InetSocketAddress address() {
		return loopback(this.socket.getLocalPort());
	}

	int port() {
		return this.socket.getLocalPort();
	}

	/** Every connection accepted so far. */
	List<Peer> peers() {
		return this.peers;
	}

	int accepted() {
		return this.peers.size();
	}

	/** Bytes received over every connection. */
	long bytesReceived() {
		return this.peers.stream().mapToLong(Peer::bytesReceived).sum();
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket accepted = this.socket.accept();
				this.peers.add(new Peer(accepted));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	@Override
	public void close() throws Exception {
		this.closed = true;
		this.socket.close();
		for (Peer peer : this.peers) {
			peer.close();
		}
		this.acceptor.join(5000);
	}

	/**
	 * The server side of one accepted connection.
	 */
	static final class Peer {

		private final Socket socket;

		private final AtomicLong received = new AtomicLong();

		private volatile boolean endOfStream;

		private volatile long endOfStreamNanos;

		private Peer(Socket socket) {
			this.socket = socket;
			Thread reader = new Thread(this::readLoop, "test-server-peer-" + socket.getPort());
			reader.setDaemon(true);
			reader.start();
		}

		private void readLoop() {
			byte[] buffer = new byte[4096];
			try (InputStream in = this.socket.getInputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					this.received.addAndGet(n);
				}
				this.endOfStreamNanos = System.nanoTime();
				this.endOfStream = true;
			}
			catch (IOException ex) {
				// closed here, or reset by the client
			}
		}

		/** Whether the client closed the connection (the server read end of stream). */
		boolean sawEndOfStream() {
			return this.endOfStream;
		}

		/** {@link System#nanoTime()} when end of stream was read. */
		long endOfStreamNanos() {
			return this.endOfStreamNanos;
		}

		long bytesReceived() {
			return this.received.get();
		}

		int clientPort() {
			return this.socket.getPort();
		}

		/** Send bytes the client did not ask for. */
		void send(byte[] bytes) throws IOException {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
		}

		/** Close the server side: the client sees end of stream. */
		void close() throws IOException {
			this.socket.close();
		}

		/** Close the server side with a reset (SO_LINGER 0): the client sees an error. */
		void reset() throws IOException {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}

	}

}
