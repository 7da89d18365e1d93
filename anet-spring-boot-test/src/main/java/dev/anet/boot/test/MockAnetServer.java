package dev.anet.boot.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A real anet server on a loopback port that answers from a script, in the spirit of Spring's
 * {@code MockRestServiceServer}: declare what requests to expect and what to do with each, let the
 * code under test call it over TCP, then {@link #verify()}.
 *
 * <pre class="code">
 * import static dev.anet.boot.test.AnetRequestMatchers.hex;
 * import static dev.anet.boot.test.AnetRequestMatchers.prefix;
 * import static dev.anet.boot.test.ExpectedCount.times;
 *
 * try (MockAnetServer server = MockAnetServer.start()) {
 *     server.expect(times(2), prefix("A0")).andRespond("A100");
 *     server.expect(hex("0200")).andResetConnection();
 *     // call 127.0.0.1:server.port() ...
 *     server.verify();
 * }
 * </pre>
 *
 * <ul>
 * <li>Matching: expectations are taken in the order they were declared (each up to its count's
 * maximum; one whose minimum is not met yet blocks those after it), or in any order with
 * {@link Builder#ignoreExpectOrder(boolean)}.</li>
 * <li>A request no expectation takes gets no answer (its caller times out) and is reported by
 * {@link #verify()}, in hex and ASCII.</li>
 * <li>An expectation without {@code andRespond...} answers nothing.</li>
 * <li>Answers carry their request's task id; delayed answers do not hold up the others.</li>
 * </ul>
 * It speaks the anet protocol with anet-core's frame decoder, on its own threads (named
 * {@code mock-anet-<port>-...}), one per connection: it is a test double, not built for load.
 */
public final class MockAnetServer implements AutoCloseable {

	private final RequestExpectations expectations;

	private final MockAnetEndpoint endpoint;

	private MockAnetServer(Builder builder) {
		this.expectations = new RequestExpectations(builder.ignoreExpectOrder);
		this.endpoint = new MockAnetEndpoint(new InetSocketAddress(builder.address, builder.port),
				this.expectations::match);
	}

	/**
	 * Start a server on a free port of 127.0.0.1 that takes expectations in order.
	 * @return the running server
	 */
	public static MockAnetServer start() {
		return builder().start();
	}

	/**
	 * Return a builder of a server.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Expect one request that the matcher accepts.
	 * @param matcher accepts the request
	 * @return what to do with it
	 * @see AnetRequestMatchers
	 */
	public ResponseActions expect(AnetRequestMatcher matcher) {
		return expect(ExpectedCount.once(), matcher);
	}

	/**
	 * Expect {@code count} requests that the matcher accepts.
	 * @param count how many
	 * @param matcher accepts the requests
	 * @return what to do with them
	 */
	public ResponseActions expect(ExpectedCount count, AnetRequestMatcher matcher) {
		return this.expectations.add(count, matcher);
	}

	/**
	 * Check that every expectation got its minimum of requests and that no request was unexpected.
	 * @throws AssertionError listing the expectations not met, the unexpected requests and every
	 * request received, in hex and ASCII
	 */
	public void verify() {
		String failures = this.expectations.failures();
		if (failures != null) {
			throw new AssertionError(failures);
		}
	}

	/**
	 * Wait up to the timeout for every expectation to be met (requests travel over TCP, so they may
	 * still be on their way), then {@link #verify()}. Returns early on an unexpected request.
	 * @param timeout how long to wait at most
	 * @throws AssertionError as {@link #verify()}
	 */
	public void verify(Duration timeout) {
		try {
			this.expectations.awaitMet(Objects.requireNonNull(timeout, "timeout"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the expected requests", ex);
		}
		verify();
	}

	/**
	 * Forget every expectation and every request received; open connections stay open.
	 */
	public void reset() {
		this.expectations.reset();
	}

	/**
	 * Return the request bodies received since the start or the last {@link #reset()}, in order of
	 * arrival.
	 * @return copies of the bodies
	 */
	public List<byte[]> receivedRequests() {
		return this.expectations.received();
	}

	public int port() {
		return this.endpoint.port();
	}

	/**
	 * Return the address to call, as {@code host:port} for {@code anet.pool.addresses}.
	 * @return the address
	 */
	public String address() {
		InetSocketAddress address = this.endpoint.localAddress();
		return address.getAddress().getHostAddress() + ":" + address.getPort();
	}

	/**
	 * Return how many connections the server accepted since it started.
	 * @return the count
	 */
	public int acceptedConnections() {
		return this.endpoint.acceptedConnections();
	}

	/**
	 * Return how many connections are open.
	 * @return the count
	 */
	public int openConnections() {
		return this.endpoint.openConnections();
	}

	/**
	 * Close every open connection normally (FIN), as a server restart would; the server keeps
	 * listening.
	 */
	public void closeConnections() {
		this.endpoint.closeConnections();
	}

	/**
	 * Stop listening and close every connection. Idempotent.
	 */
	@Override
	public void close() {
		this.endpoint.close();
	}

	@Override
	public String toString() {
		return "MockAnetServer[" + address() + "]";
	}

	/**
	 * Builds a {@link MockAnetServer}.
	 */
	public static final class Builder {

		private InetAddress address = InetAddress.getLoopbackAddress();

		private int port;

		private boolean ignoreExpectOrder;

		private Builder() {
		}

		/**
		 * Set the address to bind (default the loopback address).
		 * @param address the address
		 * @return this builder
		 */
		public Builder address(InetAddress address) {
			this.address = Objects.requireNonNull(address, "address");
			return this;
		}

		/**
		 * Set the port to bind (default 0: a free one).
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Set whether a request may match any expectation, not only the next ones in declaration
		 * order (default false).
		 * @param ignoreExpectOrder whether to ignore the order
		 * @return this builder
		 */
		public Builder ignoreExpectOrder(boolean ignoreExpectOrder) {
			this.ignoreExpectOrder = ignoreExpectOrder;
			return this;
		}

		/**
		 * Start the server: it listens when this returns.
		 * @return the running server
		 */
		public MockAnetServer start() {
			return new MockAnetServer(this);
		}

	}

}
