package dev.anet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;

/**
 * A fault-injecting TCP proxy on 127.0.0.1 for tests: it sits between an anet client (the broker)
 * and an anet server and breaks the traffic on demand.
 *
 * <pre>
 *   client ──► [proxy port] ── toServer: read ─► queue ─► (delay) ─► frames ─► (rewrite) ─► write ──► server
 *          ◄──────────────────── toClient: write ◄─ ... ◄─ read ◄────────────────────────────────────
 * </pre>
 *
 * Every accepted connection becomes a {@link Link} to the upstream port, with two pumps (one per
 * direction), each a reader thread and a writer thread. The switches of a {@link Direction} apply
 * to every link, current and new, and can be flipped at any time:
 * <ul>
 * <li>{@link Direction#delay}: hold each chunk until that long after it was read (order kept);</li>
 * <li>{@link Direction#fragment}: write every byte on its own (1-byte writes, TCP_NODELAY);</li>
 * <li>{@link Direction#stall}: stop reading from the sender, without closing, so its buffers
 * fill and its writes block (a slow consumer);</li>
 * <li>{@link Direction#rewrite}: replace each whole frame by what a {@link FrameRewrite} returns
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

	private final Direction toServer = new Direction("to-server");

	private final Direction toClient = new Direction("to-client");

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
	public Direction toServer() {
		return this.toServer;
	}

	/**
	 * Return the switches of the server-to-client direction (answers).
	 * @return the direction
	 */
	public Direction toClient() {
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
	 * The behaviour switches of one direction, shared by every link. Each switch can be flipped at
	 * any time; a pump looks at them for every chunk.
	 */
	public static final class Direction {

		private final String name;

		private final Object stallMonitor = new Object();

		private volatile long delayNanos;

		private volatile boolean fragment;

		private volatile boolean stalled;

		private volatile @Nullable FrameRewrite rewrite;

		private final AtomicLong frames = new AtomicLong();

		private final AtomicLong writes = new AtomicLong();

		private Direction(String name) {
			this.name = name;
		}

		/**
		 * Hold each chunk until {@code delay} after it was read.
		 * @param delay the delay, zero for none
		 * @return this
		 */
		public Direction delay(Duration delay) {
			this.delayNanos = delay.toNanos();
			return this;
		}

		/**
		 * Whether to write every byte on its own.
		 * @param fragment whether to fragment
		 * @return this
		 */
		public Direction fragment(boolean fragment) {
			this.fragment = fragment;
			return this;
		}

		/**
		 * Whether to stop reading from the sender (without closing anything).
		 * @param stalled whether to stall
		 * @return this
		 */
		public Direction stall(boolean stalled) {
			synchronized (this.stallMonitor) {
				this.stalled = stalled;
				this.stallMonitor.notifyAll();
			}
			return this;
		}

		/**
		 * Replace each frame by what the rewrite returns; {@code null} forwards frames as they are.
		 * @param rewrite the rewrite
		 * @return this
		 */
		public Direction rewrite(@Nullable FrameRewrite rewrite) {
			this.rewrite = rewrite;
			return this;
		}

		/**
		 * Return the number of frames that came through (before rewriting).
		 * @return the count
		 */
		public long frames() {
			return this.frames.get();
		}

		/**
		 * Return the number of writes made (one per byte when fragmenting).
		 * @return the count
		 */
		public long writes() {
			return this.writes.get();
		}

		private void awaitNotStalled(Link link) {
			synchronized (this.stallMonitor) {
				while (this.stalled && link.isOpen()) {
					try {
						this.stallMonitor.wait(50);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * One proxied connection: the client's socket and the proxy's own socket to the server.
	 */
	public final class Link {

		private final String name;

		private final Socket client;

		private final Socket upstream;

		private final AtomicBoolean open = new AtomicBoolean(true);

		private volatile boolean halfOpen;

		private final List<Thread> threads = new ArrayList<>();

		private Link(String name, Socket client, Socket upstream) {
			this.name = name;
			this.client = client;
			this.upstream = upstream;
		}

		private void start() {
			pump(this.client, this.upstream, FaultProxy.this.toServer);
			pump(this.upstream, this.client, FaultProxy.this.toClient);
			this.threads.forEach(Thread::start);
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

		private void pump(Socket from, Socket to, Direction direction) {
			BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
			String prefix = "fault-proxy-" + this.name + "-" + direction;
			this.threads.add(daemon(prefix + "-read", () -> readLoop(from, queue, direction)));
			this.threads.add(daemon(prefix + "-write", () -> writeLoop(to, queue, direction)));
		}

		private Thread daemon(String name, Runnable task) {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		}

		private void readLoop(Socket from, BlockingQueue<Chunk> queue, Direction direction) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				while (isOpen()) {
					direction.awaitNotStalled(this);
					int n = in.read(buffer);
					if (n < 0) {
						break;
					}
					if (!this.halfOpen) {
						queue.add(new Chunk(java.util.Arrays.copyOf(buffer, n), System.nanoTime()));
					}
				}
			}
			catch (IOException ex) {
				// reset or closed: the link goes
			}
			finally {
				close();
				queue.add(Chunk.END);
			}
		}

		private void writeLoop(Socket to, BlockingQueue<Chunk> queue, Direction direction) {
			FrameSplitter splitter = new FrameSplitter();
			try {
				OutputStream out = to.getOutputStream();
				while (true) {
					Chunk chunk = queue.poll(100, TimeUnit.MILLISECONDS);
					if (chunk == Chunk.END || (chunk == null && !isOpen())) {
						return;
					}
					if (chunk == null) {
						continue;
					}
					long due = chunk.readNanos() + direction.delayNanos;
					for (long wait = due - System.nanoTime(); wait > 0 && isOpen(); wait = due - System.nanoTime()) {
						LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
					}
					if (this.halfOpen) {
						continue;
					}
					splitter.add(chunk.data());
					for (byte[] frame = splitter.next(); frame != null; frame = splitter.next()) {
						direction.frames.incrementAndGet();
						for (byte[] out1 : rewrite(frame, direction.rewrite)) {
							write(out, out1, direction);
						}
					}
				}
			}
			catch (IOException ex) {
				close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private List<byte[]> rewrite(byte[] frame, @Nullable FrameRewrite rewrite) {
			if (rewrite == null || frame.length < Frames.HEADER_SIZE) {
				return List.of(frame);
			}
			ByteBuffer buffer = ByteBuffer.wrap(frame);
			int taskId = buffer.getInt(Frames.LENGTH_FIELD_SIZE);
			byte[] body = java.util.Arrays.copyOfRange(frame, Frames.HEADER_SIZE, frame.length);
			return rewrite.apply(taskId, body).stream().map((f) -> Frames.encode(f.taskId(), f.body())).toList();
		}

		private void write(OutputStream out, byte[] bytes, Direction direction) throws IOException {
			if (direction.fragment) {
				for (byte b : bytes) {
					out.write(b);
					direction.writes.incrementAndGet();
				}
			}
			else {
				out.write(bytes);
				direction.writes.incrementAndGet();
			}
			out.flush();
		}

		@Override
		public String toString() {
			return "Link[" + this.name + (isOpen() ? "" : ", closed") + (this.halfOpen ? ", half-open" : "") + "]";
		}

	}

	/** Bytes read at a time; {@link #END} marks the end of the stream. */
	private record Chunk(byte[] data, long readNanos) {

		static final Chunk END = new Chunk(new byte[0], 0);

	}

	/** Cuts a byte stream into whole anet frames (length field included). */
	private static final class FrameSplitter {

		private byte[] pending = new byte[0];

		void add(byte[] data) {
			byte[] joined = java.util.Arrays.copyOf(this.pending, this.pending.length + data.length);
			System.arraycopy(data, 0, joined, this.pending.length, data.length);
			this.pending = joined;
		}

		byte @Nullable [] next() {
			if (this.pending.length < Frames.LENGTH_FIELD_SIZE) {
				return null;
			}
			int size = Frames.LENGTH_FIELD_SIZE + (((this.pending[0] & 0xFF) << 8) | (this.pending[1] & 0xFF));
			if (this.pending.length < size) {
				return null;
			}
			byte[] frame = java.util.Arrays.copyOf(this.pending, size);
			this.pending = java.util.Arrays.copyOfRange(this.pending, size, this.pending.length);
			return frame;
		}

	}

}
