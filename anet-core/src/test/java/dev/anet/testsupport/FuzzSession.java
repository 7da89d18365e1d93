package dev.anet.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.frame.Frames;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Throws bad input at a real {@link AnetServer} and checks that it holds: a server on 127.0.0.1,
 * one healthy connection that must be served after every case, and a thread factory that tracks
 * the server's threads and the exceptions that escape them.
 *
 * <pre>
 *   case ──► new connection ──► bytes in chunks ──► RST | FIN | half-close and read every answer
 *   then  ──► healthy connection: one request, its own answer back
 *   end   ──► {@link #verify()}: server threads back to the baseline, nothing escaped, still served
 * </pre>
 *
 * The handler echoes, except that a body starting with {@code T} throws and one starting with
 * {@code N} answers nothing, so the error paths run too. The jqwik properties
 * ({@code ServerFuzzTests}) generate the cases; {@link FuzzRun} runs a long session with its own
 * generator, e.g. 10^6 cases.
 */
public final class FuzzSession implements AutoCloseable {

	/** How long one case may wait for the server (to close, or to answer). */
	private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);

	private static final Handler HANDLER = (connection, request) -> {
		if (request.length > 0 && request[0] == 'T') {
			throw new FuzzHandlerException();
		}
		if (request.length > 0 && request[0] == 'N') {
			return null;
		}
		return request;
	};

	private final Set<Thread> serverThreads = ConcurrentHashMap.newKeySet();

	private final List<Throwable> escaped = new CopyOnWriteArrayList<>();

	private final AnetServer server;

	private final Socket healthy;

	private final DataInputStream healthyIn;

	private final int baselineThreads;

	private final AtomicLong cases = new AtomicLong();

	private int healthyTaskId;

	/** What the handler throws when asked to: without a stack trace, to keep the logs short. */
	static final class FuzzHandlerException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		FuzzHandlerException() {
			super("handler failure asked for by the fuzz input", null, false, false);
		}

	}

	/** How a case ends its connection. */
	public enum Ending {

		/** Close with RST (SO_LINGER 0). */
		RESET,

		/** Close with FIN, without reading. */
		CLOSE,

		/** Shut down output, then read until the server closes, checking every answer. */
		DRAIN

	}

	/**
	 * One case: bytes for a new connection, written in chunks, and how the connection ends.
	 *
	 * @param bytes what to send
	 * @param chunks sizes of the writes (the rest goes in one last write)
	 * @param ending how the connection ends
	 */
	public record Case(byte[] bytes, List<Integer> chunks, Ending ending) {

		@Override
		public String toString() {
			return "Case[" + this.bytes.length + " bytes " + hex(this.bytes, 48) + ", chunks " + this.chunks + ", "
					+ this.ending + "]";
		}

	}

	/**
	 * Start the server and the healthy connection.
	 * @throws IOException if the healthy connection cannot be made
	 */
	public FuzzSession() throws IOException {
		ThreadFactory tracking = (task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			thread.setUncaughtExceptionHandler((t, ex) -> this.escaped.add(ex));
			this.serverThreads.add(thread);
			return thread;
		};
		this.server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.readTimeout(Duration.ofSeconds(5))
			.shutdownTimeout(Duration.ofSeconds(1))
			.threadFactory(tracking)
			.build(), HANDLER);
		this.server.start();
		this.healthy = connect();
		this.healthyIn = new DataInputStream(this.healthy.getInputStream());
		checkHealthy();
		this.baselineThreads = connectionThreads();
	}

	/**
	 * Return the server's port.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * Return the number of cases run.
	 * @return the count
	 */
	public long cases() {
		return this.cases.get();
	}

	/**
	 * Run one case, then check that the healthy connection is still served.
	 * @param c the case
	 * @throws AssertionError if the server misbehaved
	 */
	public void run(Case c) {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			int offset = 0;
			try {
				for (int chunk : c.chunks()) {
					int size = Math.min(chunk, c.bytes().length - offset);
					out.write(c.bytes(), offset, size);
					offset += size;
				}
				out.write(c.bytes(), offset, c.bytes().length - offset);
				out.flush();
			}
			catch (SocketException ex) {
				// the server may close a connection that sent an invalid frame, and only such a one
				if (!Requests.parse(c.bytes()).invalid()) {
					throw new AssertionError("The server closed a connection that sent no invalid frame: " + c, ex);
				}
				socket.setSoLinger(true, 0);
				checkHealthy();
				this.cases.incrementAndGet();
				return;
			}
			switch (c.ending()) {
				case RESET -> socket.setSoLinger(true, 0);
				case CLOSE -> {
				}
				case DRAIN -> drain(socket, c.bytes());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Fuzz case failed on the client side: " + c, ex);
		}
		checkHealthy();
		this.cases.incrementAndGet();
	}

	/**
	 * Check what must hold after the cases: every connection thread of the server ended (back to the
	 * baseline, waiting up to 10 s for the last cases' connections to close), no exception escaped a
	 * server thread, the server runs, and the healthy connection is still served.
	 * @throws AssertionError if one of them does not hold
	 */
	public void verify() {
		try {
			await().atMost(CASE_TIMEOUT).pollInterval(Duration.ofMillis(20))
				.until(() -> connectionThreads() <= this.baselineThreads && this.server.activeConnections() <= 1);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Server threads did not come back to the baseline of " + this.baselineThreads
					+ " within " + CASE_TIMEOUT + ": " + connectionThreads() + " alive, "
					+ this.server.activeConnections() + " connections open, after " + cases() + " cases");
		}
		if (!this.escaped.isEmpty()) {
			AssertionError error = new AssertionError(
					this.escaped.size() + " exception(s) escaped server threads, the first: " + this.escaped.get(0));
			this.escaped.forEach(error::addSuppressed);
			throw error;
		}
		if (!this.server.isRunning()) {
			throw new AssertionError("The server stopped");
		}
		checkHealthy();
	}

	/**
	 * Return the server threads alive, handler threads aside (an elastic pool that keeps idle extra
	 * threads for a minute, bounded by the configuration).
	 * @return the count of accept, watchdog and connection reader threads
	 */
	public int connectionThreads() {
		this.serverThreads.removeIf((thread) -> !thread.isAlive() && thread.getState() == Thread.State.TERMINATED);
		return (int) this.serverThreads.stream()
			.filter((thread) -> thread.isAlive() && !thread.getName().startsWith("anet-handler-"))
			.count();
	}

	/**
	 * Return the server threads alive, handler threads included.
	 * @return the count
	 */
	public int serverThreads() {
		return (int) this.serverThreads.stream().filter(Thread::isAlive).count();
	}

	public int baselineThreads() {
		return this.baselineThreads;
	}

	@Override
	public void close() {
		try {
			this.healthy.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.server.stop();
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setSoTimeout((int) CASE_TIMEOUT.toMillis());
		socket.connect(new InetSocketAddress("127.0.0.1", this.server.port()), (int) CASE_TIMEOUT.toMillis());
		return socket;
	}

	/** One request on the healthy connection: its own answer must come back. */
	private void checkHealthy() {
		int taskId = ++this.healthyTaskId;
		byte[] body = ("healthy-" + taskId).getBytes(StandardCharsets.UTF_8);
		try {
			this.healthy.getOutputStream().write(Frames.encode(taskId, body));
			int length = this.healthyIn.readUnsignedShort();
			int answerId = this.healthyIn.readInt();
			byte[] answer = new byte[length - Frames.TASK_ID_SIZE];
			this.healthyIn.readFully(answer);
			if (answerId != taskId || !Arrays.equals(answer, body)) {
				throw new AssertionError("Healthy connection got task " + answerId + " '"
						+ new String(answer, StandardCharsets.UTF_8) + "' for task " + taskId);
			}
		}
		catch (IOException ex) {
			throw new AssertionError("Healthy connection not served after " + cases() + " cases: " + ex, ex);
		}
	}

	/**
	 * Half-close, then read until the server closes. Every answer must echo a request of this
	 * connection, with its task id, at most once; and when the input had no invalid frame, every
	 * request the handler answers must be answered (the server closes a half-closed connection only
	 * once its answers are written).
	 */
	private void drain(Socket socket, byte[] sent) throws IOException {
		Requests requests = Requests.parse(sent);
		socket.shutdownOutput();
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				received.write(buffer, 0, n);
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			throw new AssertionError("The server did not close a half-closed connection within " + CASE_TIMEOUT, ex);
		}
		catch (SocketException ex) {
			if (!requests.invalid()) {
				throw new AssertionError("The server reset a connection that sent no invalid frame", ex);
			}
		}
		ByteBuffer answers = ByteBuffer.wrap(received.toByteArray());
		Set<Integer> answered = new HashSet<>();
		while (answers.remaining() >= Frames.HEADER_SIZE
				&& answers.remaining() >= Frames.LENGTH_FIELD_SIZE + (answers.getShort(answers.position()) & 0xFFFF)) {
			int length = answers.getShort() & 0xFFFF;
			int taskId = answers.getInt();
			byte[] body = new byte[length - Frames.TASK_ID_SIZE];
			answers.get(body);
			byte[] request = requests.bodies().get(taskId);
			if (requests.repeated().contains(taskId)) {
				continue;
			}
			if (request == null || !Arrays.equals(request, body) || !answered.add(taskId)) {
				throw new AssertionError("Unexpected answer for task " + taskId + ": " + hex(body, 32));
			}
		}
		if (requests.invalid()) {
			// closed at the invalid frame: answers may be cut, even mid-frame
			return;
		}
		if (answers.hasRemaining()) {
			throw new AssertionError("The server sent " + answers.remaining() + " bytes of a partial frame");
		}
		Set<Integer> missing = new HashSet<>(requests.answerable());
		missing.removeAll(answered);
		if (!missing.isEmpty()) {
			throw new AssertionError("No answer for " + missing.size() + " of " + requests.answerable().size()
					+ " requests before the server closed, e.g. task " + missing.iterator().next());
		}
	}

	/**
	 * The whole requests at the start of an input.
	 *
	 * @param bodies the bodies by task id
	 * @param repeated task ids sent more than once (either body may be answered)
	 * @param answerable the task ids the handler answers (sent once, body not starting with T or N)
	 * @param invalid whether the whole frames end at a frame with a length under 4
	 */
	record Requests(Map<Integer, byte[]> bodies, Set<Integer> repeated, Set<Integer> answerable, boolean invalid) {

		static Requests parse(byte[] sent) {
			Map<Integer, byte[]> bodies = new HashMap<>();
			Set<Integer> repeated = new HashSet<>();
			boolean invalid = false;
			ByteBuffer in = ByteBuffer.wrap(sent);
			while (in.remaining() >= Frames.LENGTH_FIELD_SIZE) {
				int length = in.getShort(in.position()) & 0xFFFF;
				if (length < Frames.TASK_ID_SIZE) {
					invalid = true;
					break;
				}
				if (in.remaining() < Frames.LENGTH_FIELD_SIZE + length) {
					break;
				}
				in.position(in.position() + Frames.LENGTH_FIELD_SIZE);
				int taskId = in.getInt();
				byte[] body = new byte[length - Frames.TASK_ID_SIZE];
				in.get(body);
				if (bodies.put(taskId, body) != null) {
					repeated.add(taskId);
				}
			}
			Set<Integer> answerable = new HashSet<>();
			bodies.forEach((taskId, body) -> {
				if (!repeated.contains(taskId) && (body.length == 0 || (body[0] != 'T' && body[0] != 'N'))) {
					answerable.add(taskId);
				}
			});
			return new Requests(bodies, repeated, answerable, invalid);
		}

	}

	static String hex(byte[] bytes, int max) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < Math.min(bytes.length, max); i++) {
			text.append(String.format("%02x", bytes[i]));
		}
		return (bytes.length > max) ? text + "..." : text.toString();
	}

}
