package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

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
		Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
		start(config());
		TestClient client = this.fixture.connect();
		int warm = warmUp(client);
		Held slow = holdOnTheReader(client, "slow", (name) -> gates.put(name, this.fixture.gate(name)),
				(name) -> gates.get(name).countDown(), true);
		client.send(3, bytes("after"));
		assertThat(client.receive().taskId()).isEqualTo(3);
		assertThat(this.threads.get("after")).startsWith("anet-handler-");
		gates.get(slow.name()).countDown();
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(1);
		assertThat(answer.text()).isEqualTo(slow.name());
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.SUCCESS) == warm + slow.answered() + 2);
		assertThat(this.server.activeConnections()).isEqualTo(1);
	}

	@Test
	void whenAHandlerOnTheReaderComputesForLongThenANewReaderServesTheRequestsBehindIt() {
		Set<String> released = ConcurrentHashMap.newKeySet();
		start(config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			this.threads.put(text, Thread.currentThread().getName());
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (text.startsWith("spin") && !released.contains(text) && System.nanoTime() < deadline) {
				// busy: Java sees the reader running
				Thread.onSpinWait();
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		warmUp(client);
		Held spin = holdOnTheReader(client, "spin", (name) -> {
		}, released::add, true);
		released.add(spin.name());
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
			if (text.startsWith("fail")) {
				throw new IllegalStateException("handler failed");
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		warmUp(client);
		Held fail = holdOnTheReader(client, "fail", (name) -> {
		}, (name) -> {
		}, false);
		// one failure per try
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.ERROR) == fail.tries());
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
	 * of them in a row, on a new connection (the first ones run on the pool). The score is then
	 * usually near its cap, but not surely: one of the last handlers that was slow (a cold code
	 * path, a preempted thread on a busy machine) may send the next request to the pool (see
	 * {@link #holdOnTheReader}).
	 * @return the number of requests sent
	 */
	int warmUp(TestClient client) {
		int sent = runOnTheReaderInARow(client, "warm-");
		// the first ones ran on the pool until the score said quick
		assertThat(sent).isGreaterThanOrEqualTo(2 * InlineRole.QUICK_HANDLERS_BEFORE_INLINE);
		return sent;
	}

	/**
	 * Quick requests one at a time until the reader has run
	 * {@link InlineRole#QUICK_HANDLERS_BEFORE_INLINE} of them in a row (at most 1000).
	 * @return the number of requests sent
	 */
	private int runOnTheReaderInARow(TestClient client, String prefix) {
		int inARow = 0;
		for (int i = 0; i < 1000; i++) {
			String text = prefix + i;
			assertThat(client.request(bytes(text))).asString(StandardCharsets.UTF_8).isEqualTo(text);
			if (!this.threads.get(text).startsWith("anet-conn-")) {
				inARow = 0;
			}
			else if (++inARow == InlineRole.QUICK_HANDLERS_BEFORE_INLINE) {
				return i + 1;
			}
		}
		throw new AssertionError("the reader never ran " + InlineRole.QUICK_HANDLERS_BEFORE_INLINE
				+ " handlers in a row itself");
	}

	/**
	 * Send a request ({@code <prefix>-<try>}, task id 1) and one behind it ({@code behind-<try>},
	 * task id 2) in one write, and see the one behind answered first, until the first one ran on
	 * the reader. Where a request runs follows the quick score, which is racy on purpose: a
	 * handler just before it that took over 50 us (a preempted thread on a busy machine) or lost
	 * the reader role may have sent it to the pool, which is not what the tests are about. So a
	 * try whose first request ran on the pool is let go (and its answer read, if it answers), the
	 * reader runs {@link InlineRole#QUICK_HANDLERS_BEFORE_INLINE} in a row again, and it tries
	 * again, at most 10 times.
	 * @param prepare called with the first request's name before it is sent (a gate, say)
	 * @param release lets the first request of a try that ran on the pool finish
	 * @param answers whether the first request answers once it finishes
	 * @return the first request that ran on the reader, still held there
	 */
	Held holdOnTheReader(TestClient client, String prefix, Consumer<String> prepare, Consumer<String> release,
			boolean answers) {
		int answered = 0;
		for (int attempt = 0; attempt < 10; attempt++) {
			if (attempt > 0) {
				answered += runOnTheReaderInARow(client, "again-" + attempt + "-");
			}
			String name = prefix + "-" + attempt;
			prepare.accept(name);
			client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes(name)),
					Frames.encode(2, bytes("behind-" + attempt))));
			TestClient.Frame behind = client.receive();
			assertThat(behind.taskId()).isEqualTo(2);
			assertThat(behind.text()).isEqualTo("behind-" + attempt);
			answered++;
			await().atMost(WAIT).until(() -> this.threads.containsKey(name));
			if (this.threads.get(name).startsWith("anet-conn-")) {
				return new Held(name, attempt + 1, answered);
			}
			release.accept(name);
			if (answers) {
				assertThat(client.receive().taskId()).isEqualTo(1);
				answered++;
			}
		}
		throw new AssertionError("the " + prefix + " request never ran on the reader in 10 tries");
	}

	/**
	 * A request held on the reader by {@link #holdOnTheReader}.
	 * @param name its text
	 * @param tries how many tries it took (each sent one such request)
	 * @param answered how many requests the tries had answered (the last one's behind included)
	 */
	record Held(String name, int tries, int answered) {
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
