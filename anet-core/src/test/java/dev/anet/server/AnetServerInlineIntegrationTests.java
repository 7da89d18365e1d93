package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quick handlers on the connection's reader thread: they start there once a connection's handlers
 * have been quick, a slow one loses the reader role to a new reader (so the requests behind it are
 * not held up), and backpressure still holds. {@link AnetServerVirtualInlineIntegrationTests} runs
 * them again with virtual threads.
 */
class AnetServerInlineIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final RecordingListener listener = new RecordingListener();

	final ServerFixture fixture = new ServerFixture();

	/** The thread each request (by text) ran on. */
	final Map<String, String> threads = new ConcurrentHashMap<>();

	/** The threads of {@link #threads} by request text (for whether they are virtual). */
	final Map<String, Thread> threadObjects = new ConcurrentHashMap<>();

	AnetServer server;

	@AfterEach
	void cleanUp() {
		this.fixture.close();
	}

	@Test
	void whenHandlersHaveBeenQuickThenTheReaderRunsThemItself() {
		start(config());
		TestClient client = this.fixture.connect();
		warmUp(client);
		assertThat(this.threads.get("warm-0")).startsWith("anet-handler-");
		assertThat(client.request(bytes("inline"))).asString(StandardCharsets.UTF_8).isEqualTo("inline");
		assertThat(this.threads.get("inline")).startsWith("anet-conn-").endsWith("-reader");
	}

	@Test
	void whenAHandlerOnTheReaderIsSlowThenANewReaderServesTheRequestsBehindIt() {
		CountDownLatch slow = this.fixture.gate("slow");
		start(config());
		TestClient client = this.fixture.connect();
		int warm = warmUp(client);
		client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes("slow")), Frames.encode(2, bytes("behind"))));
		assertThat(client.receive().taskId()).isEqualTo(2);
		client.send(3, bytes("after"));
		assertThat(client.receive().taskId()).isEqualTo(3);
		assertThat(this.threads.get("slow")).startsWith("anet-conn-");
		assertThat(this.threads.get("after")).startsWith("anet-handler-");
		slow.countDown();
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(1);
		assertThat(answer.text()).isEqualTo("slow");
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.SUCCESS) == warm + 3);
		assertThat(this.server.activeConnections()).isEqualTo(1);
	}

	@Test
	void whenAHandlerOnTheReaderComputesForLongThenANewReaderServesTheRequestsBehindIt() {
		AtomicBoolean released = new AtomicBoolean();
		start(config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			this.threads.put(text, Thread.currentThread().getName());
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (text.equals("spin") && !released.get() && System.nanoTime() < deadline) {
				// busy: Java sees the reader running
				Thread.onSpinWait();
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		warmUp(client);
		client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes("spin")), Frames.encode(2, bytes("behind"))));
		assertThat(client.receive().taskId()).isEqualTo(2);
		assertThat(this.threads.get("spin")).startsWith("anet-conn-");
		released.set(true);
		assertThat(client.receive().taskId()).isEqualTo(1);
	}

	@Test
	void whenMoreFramesArriveInOneReadThanTheWriteQueueDepthThenEveryOneIsAnswered() {
		start(config().writeQueueDepth(4));
		TestClient client = this.fixture.connect();
		warmUp(client);
		int count = 200;
		byte[][] frames = new byte[count][];
		for (int i = 0; i < count; i++) {
			frames[i] = Frames.encode(i, bytes("burst-" + i));
		}
		client.sendRaw(AnetServerIntegrationTests.concat(frames));
		Map<Integer, byte[]> answers = client.receive(count);
		assertThat(answers).hasSize(count);
		answers.forEach((taskId, body) -> assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("burst-" + taskId));
	}

	@Test
	void whenTheServerStopsWhileTheReaderRunsAHandlerThenItsAnswerStillGoesOut() {
		CountDownLatch late = this.fixture.gate("late");
		start(config().shutdownTimeout(WAIT));
		TestClient client = this.fixture.connect();
		warmUp(client);
		client.send(1, bytes("late"));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 1);
		Thread stopper = new Thread(this.server::stop, "test-stopper");
		stopper.start();
		late.countDown();
		assertThat(client.receive().text()).isEqualTo("late");
		assertThat(client.readUntilClosed(WAIT)).isZero();
		await().atMost(WAIT).until(() -> !stopper.isAlive());
	}

	@Test
	void whenAHandlerOnTheReaderThrowsThenOnlyItsRequestFails() {
		start(config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			this.threads.put(text, Thread.currentThread().getName());
			if (text.equals("fail")) {
				throw new IllegalStateException("handler failed");
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		warmUp(client);
		client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes("fail")), Frames.encode(2, bytes("next"))));
		assertThat(client.receive().taskId()).isEqualTo(2);
		assertThat(this.threads.get("fail")).startsWith("anet-conn-");
		assertThat(this.threads.get("next")).startsWith("anet-conn-");
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.ERROR) == 1);
		assertThat(client.request(bytes("still open"))).asString(StandardCharsets.UTF_8).isEqualTo("still open");
		assertThat(this.server.activeConnections()).isEqualTo(1);
	}

	@Test
	void whenReadersStopRunningHandlersThenTheMonitorLetsTheirConnectionsGo() {
		start(config());
		TestClient first = this.fixture.connect();
		TestClient second = this.fixture.connect();
		warmUp(first);
		warmUp(second);
		InlineMonitor monitor = this.server.dispatcher().inlineMonitor();
		assertThat(monitor).isNotNull();
		assertThat(monitor.watching()).isBetween(1, 2);
		await().atMost(WAIT).until(() -> monitor.watching() == 0);
		// and watches a connection again once its reader runs a handler (the last warm-up request may
		// have been slow on its reader and sent the next one or two to the pool)
		boolean onReader = false;
		for (int i = 0; i < 100 && !onReader; i++) {
			String text = "again-" + i;
			assertThat(first.request(bytes(text))).asString(StandardCharsets.UTF_8).isEqualTo(text);
			onReader = this.threads.get(text).startsWith("anet-conn-");
		}
		assertThat(onReader).as("a request ran on the reader again").isTrue();
		assertThat(monitor.watching()).isEqualTo(1);
	}

	@Test
	void whenHandlersRunOnAConfiguredExecutorThenReadersNeverRunThem() {
		ExecutorService executor = Executors.newFixedThreadPool(2,
				(task) -> new Thread(task, "configured-handler"));
		try {
			start(config().handlerExecutor(executor));
			TestClient client = this.fixture.connect();
			for (int i = 0; i < 4 * InlineRole.QUICK_HANDLERS_BEFORE_INLINE; i++) {
				assertThat(client.request(bytes("r-" + i))).asString(StandardCharsets.UTF_8).isEqualTo("r-" + i);
				assertThat(this.threads.get("r-" + i)).isEqualTo("configured-handler");
			}
			assertThat(this.server.dispatcher().inlineMonitor()).isNull();
		}
		finally {
			this.server.stop();
			executor.shutdownNow();
		}
	}

	/**
	 * Quick requests one at a time until the reader has run {@link InlineRole#QUICK_HANDLERS_BEFORE_INLINE}
	 * of them in a row: the quick score is then at its cap, so one or two slow handlers (a cold code
	 * path, a preempted thread on a busy machine) do not send the next request to the pool.
	 * @return the number of requests sent
	 */
	int warmUp(TestClient client) {
		int inARow = 0;
		for (int i = 0; i < 1000; i++) {
			String text = "warm-" + i;
			assertThat(client.request(bytes(text))).asString(StandardCharsets.UTF_8).isEqualTo(text);
			if (!this.threads.get(text).startsWith("anet-conn-")) {
				inARow = 0;
			}
			else if (++inARow == InlineRole.QUICK_HANDLERS_BEFORE_INLINE) {
				assertThat(i).isGreaterThanOrEqualTo(2 * InlineRole.QUICK_HANDLERS_BEFORE_INLINE - 1);
				return i + 1;
			}
		}
		throw new AssertionError("the reader never ran " + InlineRole.QUICK_HANDLERS_BEFORE_INLINE
				+ " handlers in a row itself");
	}

	/**
	 * Return the configuration of the server under test.
	 * @return the tests' defaults; {@link AnetServerVirtualInlineIntegrationTests} adds a
	 * virtual-thread factory
	 */
	ServerConfig.Builder config() {
		return AnetServerTests.config();
	}

	void start(ServerConfig.Builder config) {
		start(config, this::gatedEcho);
	}

	void start(ServerConfig.Builder config, Handler handler) {
		this.server = this.fixture.start(config.build(), handler, this.listener);
	}

	private byte[] gatedEcho(ServerConnection connection, byte[] request) throws InterruptedException {
		String text = new String(request, StandardCharsets.UTF_8);
		this.threads.put(text, Thread.currentThread().getName());
		this.threadObjects.put(text, Thread.currentThread());
		return this.fixture.gatedEcho(connection, request);
	}

}
