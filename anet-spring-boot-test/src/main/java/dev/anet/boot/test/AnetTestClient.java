package dev.anet.boot.test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;

/**
 * Sends raw anet requests to a server and checks what comes back: an answer, no answer within a
 * time, or a closed connection. {@link AnetHandlerTest @AnetHandlerTest} provides one connected to
 * the application's server, as {@code @WebMvcTest} provides {@code MockMvc}.
 *
 * <pre class="code">
 * client.send("NC00").andExpectAnswer("ND00");
 * client.sendHex("0200ff").andExpectNoAnswerWithin(Duration.ofMillis(200));
 * byte[] answer = client.send("EC hi").answer();
 * </pre>
 *
 * One TCP connection, opened by the first request and again after it was closed; task ids count
 * from 1 and answers are matched to their request by task id, so requests may be pipelined. Not
 * thread-safe: use it from the test's thread.
 */
public final class AnetTestClient implements AutoCloseable {

	/** How long {@link Exchange#answer()} and {@link Exchange#andExpectConnectionClosed()} wait by default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Supplier<InetSocketAddress> address;

	private final Duration timeout;

	private @Nullable AnetTestConnection connection;

	private int nextTaskId = 1;

	/**
	 * Create a client of the address, asked for when the first connection is opened.
	 * @param address the server's address
	 * @param timeout how long to wait for an answer or a close by default
	 */
	public AnetTestClient(Supplier<InetSocketAddress> address, Duration timeout) {
		this.address = Objects.requireNonNull(address, "address");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * Create a client of {@code host:port}.
	 * @param host the host
	 * @param port the port
	 * @return the client
	 */
	public static AnetTestClient of(String host, int port) {
		InetSocketAddress address = new InetSocketAddress(host, port);
		return new AnetTestClient(() -> address, DEFAULT_TIMEOUT);
	}

	/**
	 * Send a request.
	 * @param request the body
	 * @return the exchange, to check what comes back
	 */
	public Exchange send(byte[] request) {
		AnetTestConnection connection = connection();
		int taskId = this.nextTaskId++;
		connection.write(Frames.encode(taskId, Objects.requireNonNull(request, "request")));
		return new Exchange(connection, taskId, request.clone());
	}

	/**
	 * Send an ASCII request.
	 * @param request the body
	 * @return the exchange
	 */
	public Exchange send(String request) {
		return send(Bytes.ascii(Objects.requireNonNull(request, "request")));
	}

	/**
	 * Send a request given in hex, such as {@code "0200"}.
	 * @param hex an even number of hex digits
	 * @return the exchange
	 */
	public Exchange sendHex(String hex) {
		return send(Bytes.hex(Objects.requireNonNull(hex, "hex")));
	}

	private AnetTestConnection connection() {
		AnetTestConnection connection = this.connection;
		if (connection == null || connection.isClosed()) {
			connection = AnetTestConnection.open(this.address.get());
			this.connection = connection;
		}
		return connection;
	}

	/**
	 * Close the connection, if one is open; the next request opens a new one, with task ids from
	 * 1 again.
	 */
	@Override
	public void close() {
		AnetTestConnection connection = this.connection;
		this.connection = null;
		this.nextTaskId = 1;
		if (connection != null) {
			connection.close();
		}
	}

	/**
	 * One request sent, and what came back for it.
	 */
	public final class Exchange {

		private final AnetTestConnection connection;

		private final int taskId;

		private final byte[] request;

		private Exchange(AnetTestConnection connection, int taskId, byte[] request) {
			this.connection = connection;
			this.taskId = taskId;
			this.request = request;
		}

		/**
		 * Wait for the answer.
		 * @return the answer's body
		 * @throws AssertionError if none came within the client's timeout or the connection closed
		 */
		public byte[] answer() {
			return answer(AnetTestClient.this.timeout);
		}

		/**
		 * Wait for the answer, at most the timeout.
		 * @param timeout how long to wait
		 * @return the answer's body
		 * @throws AssertionError if none came in time or the connection closed
		 */
		public byte[] answer(Duration timeout) {
			byte[] answer = this.connection.await(this.taskId, timeout);
			if (answer == null) {
				throw new AssertionError(this.connection.isClosed()
						? "The connection closed before the answer to " + describe() + this.connection.closeCause()
						: "No answer to " + describe() + " within " + Durations.format(timeout));
			}
			return answer;
		}

		/**
		 * Wait for the answer and return it as ASCII text.
		 * @return the answer
		 */
		public String answerText() {
			return new String(answer(), StandardCharsets.US_ASCII);
		}

		/**
		 * Check that the answer is these bytes.
		 * @param expected the expected body
		 * @return this exchange
		 */
		public Exchange andExpectAnswer(byte[] expected) {
			byte[] answer = answer();
			if (!Arrays.equals(answer, expected)) {
				throw new AssertionError("Answer to " + describe() + "\n  expected: " + Bytes.describe(expected)
						+ "\n  but was:  " + Bytes.describe(answer));
			}
			return this;
		}

		/**
		 * Check that the answer is this ASCII text.
		 * @param expected the expected body
		 * @return this exchange
		 */
		public Exchange andExpectAnswer(String expected) {
			return andExpectAnswer(Bytes.ascii(expected));
		}

		/**
		 * Check that the answer is these bytes, given in hex.
		 * @param hex the expected body
		 * @return this exchange
		 */
		public Exchange andExpectAnswerHex(String hex) {
			return andExpectAnswer(Bytes.hex(hex));
		}

		/**
		 * Check that no answer comes within the time (the connection may stay open).
		 * @param time how long to wait
		 */
		public void andExpectNoAnswerWithin(Duration time) {
			byte[] answer = this.connection.await(this.taskId, time);
			if (answer != null) {
				throw new AssertionError("Expected no answer to " + describe() + " within " + Durations.format(time)
						+ " but got " + Bytes.describe(answer));
			}
		}

		/**
		 * Check that the server closes (or resets) the connection, within the client's timeout,
		 * without answering this request.
		 */
		public void andExpectConnectionClosed() {
			Duration timeout = AnetTestClient.this.timeout;
			byte[] answer = this.connection.await(this.taskId, timeout);
			if (answer != null) {
				throw new AssertionError("Expected the connection to close after " + describe() + " but got the answer "
						+ Bytes.describe(answer));
			}
			if (!this.connection.isClosed()) {
				throw new AssertionError("Expected the connection to close after " + describe()
						+ " but it was still open after " + Durations.format(timeout));
			}
		}

		private String describe() {
			return "request " + Bytes.describe(this.request) + " (task id " + Integer.toUnsignedString(this.taskId) + ")";
		}

	}

}
