package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link AsyncHandler}s: the answer is written when the stage completes, on whatever
 * thread completes it, and no handler thread or permit is held meanwhile; failures, {@code null},
 * the bounds ({@code writeQueueDepth}, {@code maxPendingAsync}) and the stop.
 */
class AnetServerAsyncIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final RecordingListener listener = new RecordingListener();

	private final ServerFixture fixture = new ServerFixture();

	/** The stages handed out, by request text; the test completes them. */
	private final Map<String, CompletableFuture<byte @Nullable []>> stages = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private final ExecutorService foreign = Executors.newFixedThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "foreign-pool");
		thread.setDaemon(true);
		return thread;
	});

	private AnetServer server;

	@AfterEach
	void cleanUp() {
		this.stages.values().forEach((stage) -> stage.complete(null));
		this.fixture.close();
		this.foreign.shutdownNow();
	}

	@Test
	void whenStagesCompleteOnAForeignPoolThenEveryAnswerIsWrittenAndNoHandlerThreadOrPermitWaits() {
		start(AnetServerTests.config().maxConcurrentHandlers(1), this::pending);
		TestClient client = this.fixture.connect();
		int count = 50;
		byte[][] frames = new byte[count][];
		for (int i = 0; i < count; i++) {
			frames[i] = Frames.encode(i, bytes("later-" + i));
		}
		client.sendRaw(AnetServerIntegrationTests.concat(frames));
		// all 50 pending with a single handler permit: none holds it
		await().atMost(WAIT).until(() -> this.server.pendingAsync() == count);
		assertThat(this.server.handlersRunning()).isZero();
		assertThat(this.calls.get()).isEqualTo(count);
		Queue<String> completers = new ConcurrentLinkedQueue<>();
		this.stages.forEach((text, stage) -> this.foreign.execute(() -> {
			completers.add(Thread.currentThread().getName());
			stage.complete(bytes(text + "!"));
		}));
		Map<Integer, byte[]> answers = client.receive(count);
		answers.forEach((taskId, body) -> assertThat(body).asString(StandardCharsets.UTF_8)
			.isEqualTo("later-" + taskId + "!"));
		assertThat(completers).containsOnly("foreign-pool");
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.SUCCESS) == count);
		assertThat(this.server.pendingAsync()).isZero();
	}

	@Test
	void whenStagesAreAlreadyCompleteThenTheyAreAnsweredLikeAHandlersAnswers() {
		start(AnetServerTests.config(), (connection, request) -> CompletableFuture.completedFuture(request));
		TestClient client = this.fixture.connect();
		int count = 500;
		byte[][] frames = new byte[count][];
		for (int i = 0; i < count; i++) {
			frames[i] = Frames.encode(i, bytes("now-" + i));
		}
		client.sendRaw(AnetServerIntegrationTests.concat(frames));
		Map<Integer, byte[]> answers = client.receive(count);
		answers.forEach((taskId, body) -> assertThat(body).asString(StandardCharsets.UTF_8).isEqualTo("now-" + taskId));
		for (int i = 0; i < 100; i++) {
			assertThat(client.request(bytes("one-" + i))).asString(StandardCharsets.UTF_8).isEqualTo("one-" + i);
		}
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.SUCCESS) == count + 100);
		assertThat(this.server.pendingAsync()).isZero();
	}

	@Test
	void whenTheStageIsOnlyACompletionStageThenItIsAnsweredToo() {
		start(AnetServerTests.config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			if (text.startsWith("done")) {
				// a minimal stage refuses isDone(): the server must not ask
				return CompletableFuture.completedStage(request);
			}
			return pending(connection, request).toCompletableFuture().minimalCompletionStage();
		});
		TestClient client = this.fixture.connect();
		assertThat(client.request(bytes("done-1"))).asString(StandardCharsets.UTF_8).isEqualTo("done-1");
		client.send(2, bytes("later"));
		await().atMost(WAIT).until(() -> this.stages.containsKey("later"));
		this.foreign.execute(() -> this.stages.get("later").complete(bytes("later!")));
		assertThat(client.receive().text()).isEqualTo("later!");
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.SUCCESS) == 2);
		assertThat(this.server.pendingAsync()).isZero();
	}

	@Test
	void whenAStageCompletesExceptionallyThenOnlyItsRequestFailsAndItIsCounted() {
		start(AnetServerTests.config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			return switch (text) {
				case "fails-later" -> CompletableFuture.supplyAsync(() -> {
					throw new IllegalStateException("backend failed on purpose");
				}, this.foreign);
				case "fails-now" -> CompletableFuture.failedFuture(new IllegalArgumentException("on purpose"));
				case "throws" -> throw new IllegalStateException("handler threw on purpose");
				case "no-stage" -> null;
				default -> CompletableFuture.supplyAsync(() -> request, this.foreign);
			};
		});
		TestClient client = this.fixture.connect();
		client.send(1, bytes("fails-later"));
		client.send(2, bytes("fails-now"));
		client.send(3, bytes("throws"));
		client.send(4, bytes("no-stage"));
		client.send(5, bytes("ok"));
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(5);
		assertThat(answer.text()).isEqualTo("ok");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.listener.outcomeByRequest)
			.containsEntry("fails-later", HandlerOutcome.ERROR)
			.containsEntry("fails-now", HandlerOutcome.ERROR)
			.containsEntry("throws", HandlerOutcome.ERROR)
			.containsEntry("no-stage", HandlerOutcome.ERROR)
			.containsEntry("ok", HandlerOutcome.SUCCESS));
		assertThat(client.request(bytes("still open"))).asString(StandardCharsets.UTF_8).isEqualTo("still open");
		assertThat(this.server.activeConnections()).isEqualTo(1);
		assertThat(this.server.pendingAsync()).isZero();
	}

	@Test
	void whenAStageCompletesWithNullThenNothingIsSentAndItIsCountedAsNoResponse() {
		start(AnetServerTests.config(), this::pending);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("nothing"));
		client.send(2, bytes("something"));
		await().atMost(WAIT).until(() -> this.stages.size() == 2);
		this.foreign.execute(() -> this.stages.get("nothing").complete(null));
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.NO_RESPONSE) == 1);
		this.stages.get("something").complete(bytes("something"));
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(2);
		assertThat(this.server.pendingAsync()).isZero();
	}

	@Test
	void whenAStageCompletesAfterStopBeganThenItsAnswerStillGoesOutAndStopReturns() {
		start(AnetServerTests.config().shutdownTimeout(WAIT), this::pending);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("late"));
		await().atMost(WAIT).until(() -> this.server.pendingAsync() == 1);
		long stopStart = System.nanoTime();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.server::stop);
		await().atMost(WAIT).until(() -> !this.server.isRunning());
		this.foreign.execute(() -> this.stages.get("late").complete(bytes("late answer")));
		assertThat(client.receive().text()).isEqualTo("late answer");
		assertThat(client.readUntilClosed(WAIT)).isZero();
		stopping.join();
		assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(WAIT);
		assertThat(this.listener.count(HandlerOutcome.SUCCESS)).isEqualTo(1);
		assertThat(this.listener.count(HandlerOutcome.ABANDONED)).isZero();
		assertThat(this.server.activeConnections()).isZero();
	}

	@Test
	void whenAStageNeverCompletesThenStopAbandonsItAtShutdownTimeoutCountsAndCancelsIt() {
		Duration shutdownTimeout = Duration.ofMillis(300);
		start(AnetServerTests.config().shutdownTimeout(shutdownTimeout), this::pending);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("never-1"));
		client.send(2, bytes("never-2"));
		await().atMost(WAIT).until(() -> this.server.pendingAsync() == 2);
		long stopStart = System.nanoTime();
		this.server.stop();
		Duration took = Duration.ofNanos(System.nanoTime() - stopStart);
		assertThat(took).isGreaterThanOrEqualTo(shutdownTimeout).isLessThan(shutdownTimeout.plusSeconds(1));
		assertThat(client.readUntilClosed(WAIT)).isZero();
		assertThat(this.listener.count(HandlerOutcome.ABANDONED)).isEqualTo(2);
		assertThat(this.stages.values()).allMatch(CompletableFuture::isCancelled);
		assertThat(this.server.pendingAsync()).isZero();
		assertThat(this.server.activeConnections()).isZero();
		// a completion that comes after all is dropped, and not counted again
		this.stages.values().forEach((stage) -> stage.complete(bytes("too late")));
		assertThat(this.listener.count(HandlerOutcome.SUCCESS)).isZero();
		assertThat(this.listener.count(HandlerOutcome.ERROR)).isZero();
	}

	@Test
	void whenMaxPendingAsyncArePendingThenTheNextRequestIsRejectedAndCounted() {
		start(AnetServerTests.config().maxPendingAsync(2), this::pending);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("one"));
		client.send(2, bytes("two"));
		await().atMost(WAIT).until(() -> this.server.pendingAsync() == 2);
		client.send(3, bytes("three"));
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.REJECTED) == 1);
		assertThat(this.listener.outcomeByRequest).containsEntry("three", HandlerOutcome.REJECTED);
		assertThat(this.stages).doesNotContainKey("three");
		this.stages.get("one").complete(bytes("one"));
		assertThat(client.receive().taskId()).isEqualTo(1);
		await().atMost(WAIT).until(() -> this.server.pendingAsync() == 1);
		client.send(4, bytes("four"));
		await().atMost(WAIT).until(() -> this.stages.containsKey("four"));
		this.stages.get("four").complete(bytes("four"));
		this.stages.get("two").complete(bytes("two"));
		assertThat(client.receive(2)).containsOnlyKeys(2, 4);
		assertThat(this.listener.count(HandlerOutcome.REJECTED)).isEqualTo(1);
	}

	@Test
	void whenWriteQueueDepthRequestsArePendingThenTheConnectionIsNotReadUntilOneIsAnswered() {
		start(AnetServerTests.config().writeQueueDepth(4), this::pending);
		TestClient client = this.fixture.connect();
		TestClient other = this.fixture.connect();
		byte[][] frames = new byte[10][];
		for (int i = 0; i < frames.length; i++) {
			frames[i] = Frames.encode(i, bytes("held-" + i));
		}
		client.sendRaw(AnetServerIntegrationTests.concat(frames));
		await().atMost(WAIT).until(() -> this.calls.get() == 4);
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> this.calls.get() == 4);
		// other connections are served meanwhile
		other.send(1, bytes("other"));
		await().atMost(WAIT).until(() -> this.stages.containsKey("other"));
		this.stages.get("other").complete(bytes("other"));
		assertThat(other.receive().text()).isEqualTo("other");
		// one answer frees one slot: one more request is read
		this.stages.get("held-0").complete(bytes("held-0"));
		assertThat(client.receive().taskId()).isZero();
		await().atMost(WAIT).until(() -> this.calls.get() == 6);
		for (int i = 1; i < frames.length; i++) {
			String text = "held-" + i;
			await().atMost(WAIT).until(() -> this.stages.containsKey(text));
			this.stages.get(text).complete(bytes(text));
		}
		assertThat(client.receive(frames.length - 1)).hasSize(frames.length - 1);
	}

	@Test
	void whenAnInterceptorImplementsInterceptAsyncThenItRunsAroundTheCallAndSeesTheAnswerWhenItComes() {
		List<String> seen = new CopyOnWriteArrayList<>();
		HandlerInterceptor around = new HandlerInterceptor() {

			@Override
			public byte @Nullable [] intercept(HandlerInvocation invocation) {
				throw new AssertionError("an async server calls interceptAsync");
			}

			@Override
			public CompletionStage<byte @Nullable []> interceptAsync(AsyncHandlerInvocation invocation)
					throws Exception {
				seen.add("before " + new String(invocation.request(), StandardCharsets.UTF_8));
				return invocation.proceed(bytes(new String(invocation.request(), StandardCharsets.UTF_8) + "+i"))
					.thenApply((answer) -> {
						seen.add("after " + new String(answer, StandardCharsets.UTF_8));
						return bytes(new String(answer, StandardCharsets.UTF_8) + "<i");
					});
			}

		};
		start(AnetServerTests.config().interceptor(around), this::pending);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("hi"));
		await().atMost(WAIT).until(() -> this.stages.containsKey("hi+i"));
		assertThat(seen).containsExactly("before hi");
		assertThat(this.server.handlersRunning()).isZero();
		this.foreign.execute(() -> this.stages.get("hi+i").complete(bytes("answer")));
		assertThat(client.receive().text()).isEqualTo("answer<i");
		assertThat(seen).containsExactly("before hi", "after answer");
	}

	@Test
	void whenAnInterceptorHasOnlyInterceptThenItStillSeesTheAnswerItsProceedWaitsFor() {
		Queue<String> threads = new ConcurrentLinkedQueue<>();
		HandlerInterceptor syncOnly = (invocation) -> {
			threads.add(Thread.currentThread().getName());
			byte[] answer = invocation.proceed();
			return (answer != null) ? bytes(new String(answer, StandardCharsets.UTF_8) + "<sync") : null;
		};
		start(AnetServerTests.config().interceptor(syncOnly),
				(connection, request) -> CompletableFuture.supplyAsync(() -> request, this.foreign));
		TestClient client = this.fixture.connect();
		for (int i = 0; i < 20; i++) {
			assertThat(client.request(bytes("r" + i))).asString(StandardCharsets.UTF_8).isEqualTo("r" + i + "<sync");
		}
		// it waited on the server's threads, not on the completing pool; placed as a Handler's call
		// (one that waits), so the first ones ran on a handler thread
		assertThat(threads).noneMatch((name) -> name.equals("foreign-pool"));
		assertThat(threads.peek()).startsWith("anet-handler-");
	}

	@Test
	void whenTheHandlerIsAsyncThenTheReaderCallsItFromTheFirstRequest() {
		Map<String, String> threads = new ConcurrentHashMap<>();
		start(AnetServerTests.config(), (connection, request) -> {
			threads.put(new String(request, StandardCharsets.UTF_8), Thread.currentThread().getName());
			return CompletableFuture.supplyAsync(() -> request, this.foreign);
		});
		TestClient client = this.fixture.connect();
		for (int i = 0; i < 5; i++) {
			assertThat(client.request(bytes("r" + i))).asString(StandardCharsets.UTF_8).isEqualTo("r" + i);
		}
		// the call only starts the work: no warm-up, no hand-off to a handler thread
		assertThat(threads.values()).allMatch((name) -> name.startsWith("anet-conn-") && name.endsWith("-reader"));
	}

	@Test
	void whenAnAsyncCallBlocksOnTheReaderThenANewReaderServesTheRequestsBehindIt() {
		CountDownLatch blocked = new CountDownLatch(1);
		start(AnetServerTests.config(), (connection, request) -> {
			if (new String(request, StandardCharsets.UTF_8).equals("blocks")) {
				// a call that should not block, but does
				blocked.await();
			}
			return CompletableFuture.completedFuture(request);
		});
		TestClient client = this.fixture.connect();
		client.sendRaw(AnetServerIntegrationTests.concat(Frames.encode(1, bytes("blocks")),
				Frames.encode(2, bytes("behind"))));
		assertThat(client.receive().taskId()).isEqualTo(2);
		assertThat(client.request(bytes("after"))).asString(StandardCharsets.UTF_8).isEqualTo("after");
		blocked.countDown();
		assertThat(client.receive().taskId()).isEqualTo(1);
	}

	@Test
	void whenAHandlerExecutorIsConfiguredThenAsyncCallsRunThere() {
		ExecutorService executor = Executors.newFixedThreadPool(1, (task) -> new Thread(task, "configured-handler"));
		try {
			Queue<String> threads = new ConcurrentLinkedQueue<>();
			start(AnetServerTests.config().handlerExecutor(executor), (connection, request) -> {
				threads.add(Thread.currentThread().getName());
				return CompletableFuture.supplyAsync(() -> request, this.foreign);
			});
			TestClient client = this.fixture.connect();
			for (int i = 0; i < 5; i++) {
				assertThat(client.request(bytes("r" + i))).asString(StandardCharsets.UTF_8).isEqualTo("r" + i);
			}
			assertThat(threads).hasSize(5).containsOnly("configured-handler");
		}
		finally {
			this.server.stop();
			executor.shutdownNow();
		}
	}

	private void start(ServerConfig.Builder config, AsyncHandler handler) {
		this.server = this.fixture.startAsync(config.build(), handler, this.listener);
	}

	/** A handler whose stages the test completes. */
	private CompletionStage<byte @Nullable []> pending(ServerConnection connection, byte[] request) {
		this.calls.incrementAndGet();
		CompletableFuture<byte @Nullable []> stage = new CompletableFuture<>();
		this.stages.put(new String(request, StandardCharsets.UTF_8), stage);
		return stage;
	}

}
