package dev.anet.testsupport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small blocking anet server for tests of the client side: one thread per connection, every frame
 * handed to a {@link Responder}, which answers (now or later, in any order) through
 * {@link Conn#reply}.
 */
public final class TestServer implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final Responder responder;

	private final List<Conn> connections = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger frames = new AtomicInteger();

	private final AtomicInteger bytes = new AtomicInteger();

	private final Thread acceptor;

	private volatile boolean closed;

	/** Decides what to do with each request. */
	@FunctionalInterface
	public interface Responder {

		void onRequest(Conn connection, int taskId, byte[] body) throws IOException;

	}

	public static Responder echo() {
		return (conn, taskId, body) -> conn.reply(taskId, body);
	}

	public TestServer(Responder responder) throws IOException {
		this(0, responder);
	}

	public TestServer(int port, Responder responder) throws IOException {
		this.responder = responder;
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		this.acceptor = new Thread(this::acceptLoop, "test-server-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	public String address() {
		return "127.0.0.1:" + port();
	}

	public int accepted() {
		return this.accepted.get();
	}

	public int frames() {
		return this.frames.get();
	}

	public int bytesReceived() {
		return this.bytes.get();
	}

	public List<Conn> connections() {
		return this.connections;
	}

	public long openConnections() {
		return this.connections.stream().filter((c) -> !c.socket.isClosed()).count();
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.serverSocket.accept();
				socket.setTcpNoDelay(true);
				this.accepted.incrementAndGet();
				Conn conn = new Conn(socket);
				this.connections.add(conn);
				Thread reader = new Thread(() -> readLoop(conn), "test-server-conn");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void readLoop(Conn conn) {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(conn.socket.getInputStream()))) {
			while (true) {
				int length = in.readUnsignedShort();
				this.bytes.addAndGet(2);
				if (length < 4) {
					conn.close();
					return;
				}
				int taskId = in.readInt();
				byte[] body = new byte[length - 4];
				in.readFully(body);
				this.bytes.addAndGet(length);
				this.frames.incrementAndGet();
				this.responder.onRequest(conn, taskId, body);
			}
		}
		catch (EOFException | SocketException ex) {
			// peer left or we closed
		}
		catch (IOException ex) {
			// test server: nothing to do
		}
		finally {
			conn.close();
		}
	}

	/** Close every accepted connection (the server keeps listening). */
	public void dropConnections() {
		for (Conn conn : this.connections) {
			conn.close();
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.serverSocket.close();
		dropConnections();
	}

	/** One accepted connection. */
	public static final class Conn {

		private final Socket socket;

		private final OutputStream out;

		Conn(Socket socket) throws IOException {
			this.socket = socket;
			this.out = socket.getOutputStream();
		}

		public synchronized void reply(int taskId, byte[] body) throws IOException {
			byte[] frame = new byte[6 + body.length];
			ByteBuffer.wrap(frame).putShort((short) (4 + body.length)).putInt(taskId).put(body);
			this.out.write(frame);
			this.out.flush();
		}

		public synchronized void writeRaw(byte[] bytes) throws IOException {
			this.out.write(bytes);
			this.out.flush();
		}

		public boolean isClosed() {
			return this.socket.isClosed();
		}

		/** Half-close: send FIN and answer no more, while the server goes on reading this connection. */
		public synchronized void shutdownOutput() throws IOException {
			this.socket.shutdownOutput();
		}

		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}

	}

}
