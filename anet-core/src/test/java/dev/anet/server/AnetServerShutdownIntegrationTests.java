package dev.anet.server;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the graceful stop of {@link AnetServer}.
 */
class AnetServerShutdownIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final CountDownLatch proceed = new CountDownLatch(1);

	private final CountDownLatch never = new CountDownLatch(1);

	private final RecordingListener listener = new RecordingListener();

	private final ServerFixture fixture = new ServerFixture();

	private AnetServer server;

	@AfterEach
	void cleanUp() {
		this.proceed.countDown();
		this.never.countDown();
		this.fixture.close();
	}

	@Test
	void whenStoppedThenInFlightRequestsAreAnsweredWithinShutdownTimeout() {
		int connections = 4;
		int perConnection = 25;
		CountDownLatch started = new CountDownLatch(connections * perConnection);
		AtomicInteger handled = new AtomicInteger();
		start(AnetServerTests.config().shutdownTimeout(Duration.ofSeconds(2)), (connection, request) -> {
			handled.incrementAndGet();
			started.countDown();
			if (!this.proceed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("not released");
			}
			return request;
		});
		List<TestClient> clients = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			TestClient client = this.fixture.connect();
			clients.add(client);
			byte[][] frames = new byte[perConnection][];
			for (int i = 0; i < perConnection; i++) {
				frames[i] = Frames.encode(i, bytes(c + "-" + i));
			}
			client.sendRaw(AnetServerIntegrationTests.concat(frames));
		}
		await().atMost(WAIT).until(() -> started.getCount() == 0);
		long stopStart = System.nanoTime();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.server::stop);
		await().atMost(WAIT).until(() -> !this.server.isRunning());
		// no new connections, and new frames on open connections are not handled
		assertThatThrownBy(() -> this.fixture.connect()).isInstanceOf(UncheckedIOException.class);
		clients.get(0).send(999, bytes("too late"));
		this.proceed.countDown();
		for (int c = 0; c < connections; c++) {
			Map<Integer, byte[]> answers = clients.get(c).receive(perConnection);
			for (int i = 0; i < perConnection; i++) {
				assertThat(answers.get(i)).asString(StandardCharsets.UTF_8).isEqualTo(c + "-" + i);
			}
			assertThat(clients.get(c).readUntilClosed(WAIT)).isZero();
		}
		stopping.join();
		assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(Duration.ofSeconds(2));
		assertThat(handled.get()).isEqualTo(connections * perConnection);
		assertThat(this.server.activeConnections()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(connections);
		// the listener hears of a request after its answer is written
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.listener.count(HandlerOutcome.SUCCESS))
				.isEqualTo(connections * perConnection));
	}

	@Test
	void whenHandlersNeverFinishThenStopReturnsWithinShutdownTimeout() {
		Set<Thread> before = AnetServerTests.anetThreads();
		Duration shutdownTimeout = Duration.ofMillis(300);
		CountDownLatch started = new CountDownLatch(3);
		start(AnetServerTests.config().shutdownTimeout(shutdownTimeout), (connection, request) -> {
			started.countDown();
			// ignores interrupts: only the test's clean-up ends it
			while (this.never.getCount() > 0) {
				try {
					this.never.await();
				}
				catch (InterruptedException ex) {
					// keep waiting
				}
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes("a")), Frames.encode(2, bytes("b")),
				Frames.encode(3, bytes("c"))));
		await().atMost(WAIT).until(() -> started.getCount() == 0);
		long stopStart = System.nanoTime();
		this.server.stop();
		Duration took = Duration.ofNanos(System.nanoTime() - stopStart);
		assertThat(took).isGreaterThanOrEqualTo(shutdownTimeout).isLessThan(shutdownTimeout.plusSeconds(1));
		assertThat(client.readUntilClosed(WAIT)).isZero();
		assertThat(this.server.activeConnections()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
		this.never.countDown();
		await().atMost(WAIT).untilAsserted(() -> {
			Set<Thread> now = AnetServerTests.anetThreads();
			now.removeAll(before);
			assertThat(now).isEmpty();
		});
		// the late handlers finished, but their connection was gone
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.ERROR) == 3);
		assertThat(this.listener.count(HandlerOutcome.SUCCESS)).isZero();
	}

	@Test
	void whenStoppedWithIdleConnectionsThenStopReturnsAtOnceAndClosesThem() {
		start(AnetServerTests.config().shutdownTimeout(Duration.ofSeconds(5)), (connection, request) -> request);
		TestClient first = this.fixture.connect();
		TestClient second = this.fixture.connect();
		assertThat(first.request(bytes("1"))).isNotEmpty();
		assertThat(second.request(bytes("2"))).isNotEmpty();
		long stopStart = System.nanoTime();
		this.server.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(Duration.ofSeconds(1));
		assertThat(first.readUntilClosed(WAIT)).isZero();
		assertThat(second.readUntilClosed(WAIT)).isZero();
		assertThat(this.listener.open()).isZero();
	}

	private void start(ServerConfig.Builder config, Handler handler) {
		this.server = this.fixture.start(config.build(), handler, this.listener);
	}

}
