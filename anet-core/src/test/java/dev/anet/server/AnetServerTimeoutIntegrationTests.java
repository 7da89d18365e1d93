package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the timeouts and the connection limit of {@link AnetServer}: readTimeout (slowloris),
 * idleTimeout, writeTimeout and maxConns.
 */
class AnetServerTimeoutIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final Duration TIMEOUT = Duration.ofMillis(200);

	private final RecordingListener listener = new RecordingListener();

	private final ServerFixture fixture = new ServerFixture();

	private AnetServer server;

	@AfterEach
	void cleanUp() {
		this.fixture.close();
	}

	@Test
	void whenOnlyPartOfAFrameArrivesThenConnectionIsClosedAfterReadTimeout() {
		start(AnetServerTests.config().readTimeout(TIMEOUT), (connection, request) -> request);
		TestClient quiet = this.fixture.connect();
		TestClient slow = this.fixture.connect();
		// a header that announces 16 bytes, and 3 of them
		slow.sendRaw(new byte[] { 0, 16, 0, 0, 0 });
		long sent = System.nanoTime();
		assertThat(slow.readUntilClosed(WAIT)).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(TIMEOUT);
		// a connection that sent nothing is not a slow sender
		assertThat(quiet.request(bytes("still here"))).asString(StandardCharsets.UTF_8).isEqualTo("still here");
		await().atMost(WAIT).until(() -> this.server.activeConnections() == 1);
	}

	@Test
	void whenOnlyTheLengthFieldArrivesThenConnectionIsClosedAfterReadTimeout() {
		start(AnetServerTests.config().readTimeout(TIMEOUT), (connection, request) -> request);
		TestClient slow = this.fixture.connect();
		assertThat(slow.request(bytes("complete"))).asString(StandardCharsets.UTF_8).isEqualTo("complete");
		slow.sendRaw(new byte[] { 0, 9 });
		assertThat(slow.readUntilClosed(WAIT)).isZero();
		await().atMost(WAIT).until(() -> this.server.activeConnections() == 0);
	}

	@Test
	void whenReaderWaitsForAWriteSlotThenThePartialFrameBehindItDoesNotCountAsSlow() {
		CountDownLatch release = this.fixture.gate("hold");
		start(AnetServerTests.config().readTimeout(TIMEOUT).writeQueueDepth(1), this.fixture::gatedEcho);
		TestClient client = this.fixture.connect();
		byte[] first = Frames.encode(1, bytes("hold"));
		byte[] third = Frames.encode(3, bytes("third"));
		byte[] thirdHead = Arrays.copyOf(third, 4);
		byte[] thirdTail = Arrays.copyOfRange(third, 4, third.length);
		// a partial frame first, so that the reader's slow-sender clock runs
		client.sendRaw(Arrays.copyOf(first, 3));
		// polled without the default 100 ms delays: the rest must follow well within the read timeout
		await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
			.until(() -> this.listener.openedConnections.size() == 1);
		Connection connection = (Connection) this.listener.openedConnections.get(0);
		await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
			.until(() -> connection.partialFrameSince() != Connection.NONE);
		// the reader dispatches "hold", then waits for the only write slot with "second" and the
		// start of a third frame in its buffer
		client.sendRaw(AnetServerIntegrationTests.concat(Arrays.copyOfRange(first, 3, first.length),
				Frames.encode(2, bytes("second")), thirdHead));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 1);
		await().during(TIMEOUT.multipliedBy(3)).atMost(WAIT).until(() -> this.server.activeConnections() == 1);
		release.countDown();
		// the rest of the frame at once: the clock restarts when the reader reads again, and a busy
		// machine must not make this peer look slow
		client.sendRaw(thirdTail);
		assertThat(client.receive().taskId()).isEqualTo(1);
		assertThat(client.receive().taskId()).isEqualTo(2);
		assertThat(client.receive().text()).isEqualTo("third");
		assertThat(this.listener.closed.get()).isZero();
	}

	@Test
	void whenConnectionIsIdleThenItIsClosedAfterIdleTimeout() {
		start(AnetServerTests.config().idleTimeout(TIMEOUT), (connection, request) -> request);
		TestClient client = this.fixture.connect();
		// the server's last activity on the connection comes after this, so it cannot close before sent + TIMEOUT
		// (measured from the client's receipt instead, a busy machine's delay in waking the client counted against it)
		long sent = System.nanoTime();
		assertThat(client.request(bytes("once"))).asString(StandardCharsets.UTF_8).isEqualTo("once");
		assertThat(client.readUntilClosed(WAIT)).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(TIMEOUT);
		await().atMost(WAIT).until(() -> this.listener.closed.get() == 1);
	}

	@Test
	void whenHandlerRunsLongerThanIdleTimeoutThenConnectionIsNotIdle() {
		CountDownLatch release = this.fixture.gate("long");
		start(AnetServerTests.config().idleTimeout(TIMEOUT), this.fixture::gatedEcho);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("long"));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 1);
		await().during(TIMEOUT.multipliedBy(3))
			.atMost(WAIT)
			.until(() -> this.server.activeConnections() == 1 && this.listener.closed.get() == 0);
		release.countDown();
		assertThat(client.receive().text()).isEqualTo("long");
	}

	@Test
	void whenPeerDoesNotReadThenConnectionIsClosedAfterWriteTimeout() {
		byte[] answer = new byte[Frames.MAX_BODY_SIZE];
		start(AnetServerTests.config().writeTimeout(TIMEOUT).writeQueueDepth(4), (connection, request) -> answer);
		TestClient reader = this.fixture.connect();
		TestClient notReading = this.fixture.connect(4096);
		// ~19 MB of answers: more than the socket buffers of both ends hold
		byte[][] requests = new byte[300][];
		for (int i = 0; i < requests.length; i++) {
			requests[i] = Frames.encode(i, bytes("r"));
		}
		notReading.sendRaw(AnetServerIntegrationTests.concat(requests));
		await().atMost(WAIT).until(() -> this.listener.closed.get() == 1);
		assertThat(this.server.activeConnections()).isEqualTo(1);
		assertThat(reader.request(bytes("r"))).hasSize(Frames.MAX_BODY_SIZE);
	}

	@Test
	void whenMaxConnsAreOpenThenNextConnectionIsClosedAtOnceAndCounted() {
		start(AnetServerTests.config().maxConns(2), (connection, request) -> request);
		TestClient first = this.fixture.connect();
		TestClient second = this.fixture.connect();
		assertThat(first.request(bytes("1"))).asString(StandardCharsets.UTF_8).isEqualTo("1");
		assertThat(second.request(bytes("2"))).asString(StandardCharsets.UTF_8).isEqualTo("2");
		TestClient third = this.fixture.connect();
		third.send(1, bytes("3"));
		assertThat(third.readUntilClosed(WAIT)).isZero();
		await().atMost(WAIT).until(() -> this.listener.rejected.get() == 1);
		assertThat(this.listener.opened.get()).isEqualTo(2);
		assertThat(this.server.activeConnections()).isEqualTo(2);
		// a slot frees up when a connection closes
		first.close();
		await().atMost(WAIT).until(() -> this.server.activeConnections() == 1);
		TestClient fourth = this.fixture.connect();
		assertThat(fourth.request(bytes("4"))).asString(StandardCharsets.UTF_8).isEqualTo("4");
	}

	private void start(ServerConfig.Builder config, Handler handler) {
		this.server = this.fixture.start(config.build(), handler, this.listener);
	}

}
