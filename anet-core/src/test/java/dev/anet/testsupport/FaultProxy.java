package dev.anet.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A fault-injecting TCP proxy on 127.0.0.1 for tests: it sits between an anet client (the broker)
 * and an anet server and breaks the traffic on demand.
 *
 * <pre>
 *   client ──► [proxy port] ── toServer: read ─► queue ─► (delay) ─► frames ─► (rewrite) ─► write ──► server
 *          ◄──────────────────── toClient: write ◄─ ... ◄─ read ◄────────────────────────────────────
 * </pre>
 *
 * Every accepted connection becomes a {@link Link} to the upstream port, with two {@link Pump pumps}
 * (one per direction), each a reader thread and a writer thread. The switches of a
 * {@link ProxyDirection} apply to every link, current and new, and can be flipped at any time:
 * <ul>
 * <li>{@link ProxyDirection#delay}: hold each chunk until that long after it was read (order
 * kept);</li>
 * <li>{@link ProxyDirection#fragment}: write every byte on its own (1-byte writes, TCP_NODELAY);</li>
 * <li>{@link ProxyDirection#stall}: stop reading from the sender, without closing, so its buffers
 * fill and its writes block (a slow consumer);</li>
 * <li>{@link ProxyDirection#rewrite}: replace each whole frame by what a {@link FrameRewrite} returns
 * (see {@link #duplicate}, {@link #retag}).</li>
 * </ul>
 * A link can be dropped with RST ({@link Link#reset}, SO_LINGER 0) or FIN ({@link Link#close}), or
 * go half-open ({@link Link#halfOpen}): both pumps go on reading and throw away what they read, so
 * nothing is forwarded and nothing is closed, and neither side notices anything but silence.
 *
 * <p>The writer side speaks anet framing: it forwards whole frames (a partial frame waits for its
 * rest), so it can rewrite them. Proxy sockets have small receive buffers so that a stall is felt
 * after a few tens of kilobytes.
 */
public final class FaultProxy implements AutoCloseable {

	/** Receive buffer of both proxy sockets of a link. */
	private static final int RECEIVE_BUFFER = 64 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private static final AtomicInteger proxyIds = new AtomicInteger();

	private final int id = proxyIds.incrementAndGet();

	private final int upstreamPort;

	private final ServerSocket serverSocket;

	private final ProxyDirection toServer = new ProxyDirection("to-server");

	private final ProxyDirection toClient = new ProxyDirection("to-client");

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Start a proxy on a free port of 127.0.0.1 that forwards to 127.0.0.1:{@code upstreamPort}.
	 * @param upstreamPort the server's port
	 * @throws IOException if the proxy cannot listen
	 */
	public FaultProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReceiveBufferSize(RECEIVE_BUFFER);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + this.id + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Return the proxy's port: point the client here.
	 * @return the port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * Return the proxy's address as {@code 127.0.0.1:port}.
	 * @return the address
	 */
	public String address() {
		return "127.0.0.1:" + port();
	}

	/**
	 * Return the switches of the client-to-server direction (requests).
	 * @return the direction
	 */
	public ProxyDirection toServer() {
		return this.toServer;
	}

	/**
	 * Return the switches of the server-to-client direction (answers).
	 * @return the direction
	 */
	public ProxyDirection toClient() {
		return this.toClient;
	}

	/**
	 * Return the number of client connections accepted so far.
	 * @return the count
	 */
	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Return every link accepted so far, oldest first, open or not.
	 * @return the links
	 */
	public List<Link> links() {
		return List.copyOf(this.links);
	}

	/**
	 * Return the links still open.
	 * @return the open links
	 */
	public List<Link> openLinks() {
		return this.links.stream().filter(Link::isOpen).toList();
	}

	/** Drop every open link with RST. */
	public void resetAll() {
		openLinks().forEach(Link::reset);
	}

	/** Drop every open link with FIN. */
	public void closeAll() {
		openLinks().forEach(Link::close);
	}

	/** Make every open link half-open (new links still forward). */
	public void halfOpenAll() {
		openLinks().forEach(Link::halfOpen);
	}

	/** Stop listening and close every link. */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.toServer.stall(false);
		this.toClient.stall(false);
		this.links.forEach(Link::close);
	}

	/**
	 * A rewrite that sends each of the next {@code count} frames twice, then leaves frames alone.
	 * @param count how many frames to duplicate
	 * @return the rewrite
	 */
	public static FrameRewrite duplicate(int count) {
		AtomicInteger left = new AtomicInteger(count);
		return (taskId, body) -> (left.getAndDecrement() > 0) ? List.of(new Frame(taskId, body), new Frame(taskId, body))
				: List.of(new Frame(taskId, body));
	}

	/**
	 * A rewrite that changes the task id of each of the next {@code count} frames, then leaves frames
	 * alone.
	 * @param count how many frames to change
	 * @param taskIds the new task id for an old one
	 * @return the rewrite
	 */
	public static FrameRewrite retag(int count, IntUnaryOperator taskIds) {
		AtomicInteger left = new AtomicInteger(count);
		return (taskId, body) -> List
			.of(new Frame((left.getAndDecrement() > 0) ? taskIds.applyAsInt(taskId) : taskId, body));
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.serverSocket.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.incrementAndGet();
			Socket upstream = new Socket();
			try {
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				upstream.setReceiveBufferSize(RECEIVE_BUFFER);
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.upstreamPort),
						CONNECT_TIMEOUT_MILLIS);
			}
			catch (IOException ex) {
				// the server is down: the client sees its connection closed
				closeQuietly(upstream);
				closeQuietly(client);
				continue;
			}
			Link link = new Link(this.id + "." + this.accepted.get(), client, upstream);
			this.links.add(link);
			link.start();
			if (this.closed) {
				link.close();
			}
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/** One frame, as a rewrite sees and returns it. */
	public record Frame(int taskId, byte[] body) {

	}

	/** Decides what to send in place of one whole frame. */
	@FunctionalInterface
	public interface FrameRewrite {

		/**
		 * Rewrite one frame.
		 * @param taskId the frame's task id
		 * @param body the frame's body
		 * @return the frames to send instead, in order (empty to drop it)
		 */
		List<Frame> apply(int taskId, byte[] body);

	}

	/**
	 * One proxied connection: the client's socket and the proxy's own socket to the server, with a
	 * {@link Pump} each way.
	 */
	public final class Link {

		private final String name;

		private final Socket client;

		private final Socket upstream;

		private final AtomicBoolean open = new AtomicBoolean(true);

		private volatile boolean halfOpen;

		private Link(String name, Socket client, Socket upstream) {
			this.name = name;
			this.client = client;
			this.upstream = upstream;
		}

		private void start() {
			Pump toServer = new Pump(this, this.name, this.client, this.upstream, FaultProxy.this.toServer);
			Pump toClient = new Pump(this, this.name, this.upstream, this.client, FaultProxy.this.toClient);
			toServer.start();
			toClient.start();
		}

		/** Drop the link with RST on both sides (SO_LINGER 0, then close). */
		public void reset() {
			if (this.open.compareAndSet(true, false)) {
				for (Socket socket : List.of(this.client, this.upstream)) {
					try {
						socket.setSoLinger(true, 0);
					}
					catch (IOException ex) {
						// closed already
					}
					closeQuietly(socket);
				}
			}
		}

		/** Drop the link with FIN on both sides (an orderly close). */
		public void close() {
			if (this.open.compareAndSet(true, false)) {
				closeQuietly(this.client);
				closeQuietly(this.upstream);
			}
		}

		/** Stop forwarding both ways without closing: whatever is read is thrown away. */
		public void halfOpen() {
			this.halfOpen = true;
		}

		public boolean isHalfOpen() {
			return this.halfOpen;
		}

		public boolean isOpen() {
			return this.open.get();
		}

		@Override
		public String toString() {
			return "Link[" + this.name + (isOpen() ? "" : ", closed") + (this.halfOpen ? ", half-open" : "") + "]";
		}

	}

}
