package dev.anet.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.anet.frame.Frames;

/**
 * A plain blocking-socket anet client for the server tests: it writes frames (also raw bytes and
 * several pipelined frames), reads answer frames, and tells when the server closed the connection.
 */
final class TestClient implements AutoCloseable {

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private int nextTaskId = 1;

	private TestClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static TestClient connect(int port) {
		return connect(port, 0);
	}

	/**
	 * Connect to 127.0.0.1.
	 * @param port the server's port
	 * @param receiveBufferSize the socket's receive buffer, or 0 for the default
	 * @return the client
	 */
	static TestClient connect(int port, int receiveBufferSize) {
		Socket socket = new Socket();
		try {
			if (receiveBufferSize > 0) {
				socket.setReceiveBufferSize(receiveBufferSize);
			}
			socket.setTcpNoDelay(true);
			socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEFAULT_TIMEOUT.toMillis());
			return new TestClient(socket);
		}
		catch (IOException ex) {
			try {
				socket.close();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send one request.
	 * @param taskId the task id
	 * @param body the body
	 */
	void send(int taskId, byte[] body) {
		sendRaw(Frames.encode(taskId, body));
	}

	/**
	 * Send bytes as they are.
	 * @param bytes the bytes
	 */
	void sendRaw(byte[] bytes) {
		try {
			this.out.write(bytes);
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Send a request with the next task id of this client and wait for its answer (other answers
	 * that arrive first fail the call).
	 * @param body the body
	 * @return the answer body
	 */
	byte[] request(byte[] body) {
		int taskId = this.nextTaskId++;
		send(taskId, body);
		Frame answer = receive();
		if (answer.taskId() != taskId) {
			throw new IllegalStateException("Expected an answer to task id " + taskId + " but got " + answer.taskId());
		}
		return answer.body();
	}

	/**
	 * Read one frame, waiting up to {@link #DEFAULT_TIMEOUT}.
	 * @return the frame
	 */
	Frame receive() {
		try {
			int length = this.in.readUnsignedShort();
			int taskId = this.in.readInt();
			byte[] body = new byte[length - Frames.TASK_ID_SIZE];
			this.in.readFully(body);
			return new Frame(taskId, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Read frames until there is one for each of the given number, keyed by task id.
	 * @param count how many frames
	 * @return the bodies by task id
	 */
	Map<Integer, byte[]> receive(int count) {
		Map<Integer, byte[]> answers = new HashMap<>();
		for (int i = 0; i < count; i++) {
			Frame frame = receive();
			if (answers.put(frame.taskId(), frame.body()) != null) {
				throw new IllegalStateException("Two answers for task id " + frame.taskId());
			}
		}
		return answers;
	}

	/**
	 * Read until the server closes the connection, failing if that takes longer than the timeout.
	 * @param timeout the longest wait
	 * @return the number of bytes that arrived before the end of the stream
	 */
	int readUntilClosed(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[8192];
		int total = 0;
		try {
			InputStream stream = this.socket.getInputStream();
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				int n;
				try {
					n = stream.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					break;
				}
				catch (SocketException ex) {
					// connection reset: closed as well
					return total;
				}
				if (n < 0) {
					return total;
				}
				total += n;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new AssertionError("The server did not close the connection within " + timeout + " (" + total
				+ " bytes arrived)");
	}

	/**
	 * Return whether the server closed the connection: a read returns the end of the stream.
	 * @return whether it is closed, without waiting longer than {@link #DEFAULT_TIMEOUT}
	 */
	boolean isClosedByServer() {
		try {
			readUntilClosed(DEFAULT_TIMEOUT);
			return true;
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	/**
	 * Close the sending side only: the server sees the end of the input.
	 */
	void shutdownOutput() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Socket socket() {
		return this.socket;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One answer frame.
	 *
	 * @param taskId the task id
	 * @param body the body
	 */
	record Frame(int taskId, byte[] body) {

		String text() {
			return new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

}
