package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The {@link AnetServer} under test and what a test opened against it: the gates that
 * {@link #gatedEcho} waits at, one per request text, and the clients from {@link #connect()}. Close
 * it from {@code @AfterEach}: that opens every gate, closes the clients and stops the server.
 */
final class ServerFixture implements AutoCloseable {

	/** How long {@link #gatedEcho} waits for a gate before it fails the request. */
	private static final Duration GATE_TIMEOUT = Duration.ofSeconds(5);

	/** Latches by request text: a handler for that request waits for its latch. */
	private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	private final List<TestClient> clients = new ArrayList<>();

	private @Nullable AnetServer server;

	/**
	 * Make {@link #gatedEcho} hold the given request until the returned latch is counted down.
	 * @param request the request's text
	 * @return the gate to open
	 */
	CountDownLatch gate(String request) {
		CountDownLatch latch = new CountDownLatch(1);
		this.gates.put(request, latch);
		return latch;
	}

	/**
	 * Start a server; {@link #close()} stops it.
	 * @param config the server's configuration
	 * @param handler the handler
	 * @param listener the listener
	 * @return the started server
	 */
	AnetServer start(ServerConfig config, Handler handler, ServerListener listener) {
		AnetServer server = new AnetServer(config, handler, listener);
		this.server = server;
		server.start();
		return server;
	}

	/**
	 * Start a server with an {@link AsyncHandler}; {@link #close()} stops it.
	 * @param config the server's configuration
	 * @param handler the handler
	 * @param listener the listener
	 * @return the started server
	 */
	AnetServer startAsync(ServerConfig config, AsyncHandler handler, ServerListener listener) {
		AnetServer server = AnetServer.async(config, handler, listener);
		this.server = server;
		server.start();
		return server;
	}

	/**
	 * Connect a client to the started server; {@link #close()} closes it.
	 * @return the client
	 */
	TestClient connect() {
		return connect(0);
	}

	/**
	 * Connect a client with a small receive buffer (for a peer that does not read) to the started
	 * server; {@link #close()} closes it.
	 * @param receiveBufferSize the socket's receive buffer, or 0 for the default
	 * @return the client
	 */
	TestClient connect(int receiveBufferSize) {
		AnetServer server = Objects.requireNonNull(this.server, "no server started");
		TestClient client = TestClient.connect(server.port(), receiveBufferSize);
		this.clients.add(client);
		return client;
	}

	/**
	 * A handler that echoes the request once its gate (if it has one) is open.
	 * @param connection the connection
	 * @param request the request
	 * @return the request
	 * @throws InterruptedException if interrupted while waiting at the gate
	 */
	byte[] gatedEcho(ServerConnection connection, byte[] request) throws InterruptedException {
		CountDownLatch latch = this.gates.get(new String(request, StandardCharsets.UTF_8));
		if (latch != null && !latch.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("gate was not opened");
		}
		return request;
	}

	/** Open every gate, close the clients and stop the server. */
	@Override
	public void close() {
		this.gates.values().forEach((latch) -> {
			while (latch.getCount() > 0) {
				latch.countDown();
			}
		});
		this.clients.forEach(TestClient::close);
		if (this.server != null) {
			this.server.stop();
		}
	}

}
