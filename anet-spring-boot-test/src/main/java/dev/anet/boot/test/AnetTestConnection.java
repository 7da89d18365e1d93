package dev.anet.boot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;

/**
 * The connection of an {@link AnetTestClient}: a socket and the answers read from it but not asked
 * for yet, by task id.
 */
final class AnetTestConnection {

	private final Socket socket;

	private final InputStream in;

	private final Map<Integer, byte[]> answers = new HashMap<>();

	private byte[] buffer = new byte[8192];

	private int filled;

	private boolean closed;

	private @Nullable IOException closeCause;

	private AnetTestConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	static AnetTestConnection open(InetSocketAddress address) {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(address, 5000);
			return new AnetTestConnection(socket);
		}
		catch (IOException ex) {
			try {
				socket.close();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw new UncheckedIOException("AnetTestClient could not connect to " + address, ex);
		}
	}

	void write(byte[] frame) {
		try {
			this.socket.getOutputStream().write(frame);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("AnetTestClient could not write to " + this.socket.getRemoteSocketAddress(), ex);
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	String closeCause() {
		return (this.closeCause != null) ? " (" + this.closeCause + ")" : " (end of stream)";
	}

	/** The answer with the task id, or {@code null} if none came before the time passed or the connection closed. */
	byte @Nullable [] await(int taskId, Duration time) {
		long deadline = System.nanoTime() + time.toNanos();
		while (true) {
			byte[] answer = this.answers.remove(taskId);
			if (answer != null) {
				return answer;
			}
			long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
			if (this.closed || remainingMillis <= 0) {
				return null;
			}
			readOnce((int) Math.min(Integer.MAX_VALUE, Math.max(1, remainingMillis)));
		}
	}

	private void readOnce(int timeoutMillis) {
		try {
			this.socket.setSoTimeout(timeoutMillis);
			if (this.filled == this.buffer.length) {
				this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
			}
			int n = this.in.read(this.buffer, this.filled, this.buffer.length - this.filled);
			if (n < 0) {
				close();
				return;
			}
			this.filled += n;
			decode();
		}
		catch (SocketTimeoutException ex) {
			// nothing came in time: the caller looks at its deadline
		}
		catch (IOException ex) {
			this.closeCause = ex;
			close();
		}
	}

	private void decode() {
		int offset = 0;
		while (this.filled - offset >= Frames.HEADER_SIZE) {
			int length = ((this.buffer[offset] & 0xff) << 8) | (this.buffer[offset + 1] & 0xff);
			if (length < Frames.TASK_ID_SIZE) {
				this.closeCause = new IOException("invalid frame: length " + length + " is under 4");
				close();
				return;
			}
			if (this.filled - offset < 2 + length) {
				break;
			}
			int taskId = ByteBuffer.wrap(this.buffer, offset + 2, 4).getInt();
			byte[] body = Arrays.copyOfRange(this.buffer, offset + Frames.HEADER_SIZE, offset + 2 + length);
			this.answers.put(taskId, body);
			offset += 2 + length;
		}
		System.arraycopy(this.buffer, offset, this.buffer, 0, this.filled - offset);
		this.filled -= offset;
	}

	void close() {
		this.closed = true;
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
