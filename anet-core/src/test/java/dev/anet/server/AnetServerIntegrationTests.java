package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link AnetServer} over real sockets: concurrency, ordering, isolation, failing
 * handlers, answer sizes and the listener's counts.
 */
class AnetServerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final RecordingListener listener = new RecordingListener();

	private final ServerFixture fixture = new ServerFixture();

	private AnetServer server;

	@AfterEach
	void cleanUp() {
		this.fixture.close();
	}

	@Test
	void whenHandlersFinishInAnotherOrderThenAnswersOnOneConnectionComeBackInThatOrder() {
		CountDownLatch first = this.fixture.gate("first");
		CountDownLatch second = this.fixture.gate("second");
		start(AnetServerTests.config(), this.fixture::gatedEcho);
		TestClient client = this.fixture.connect();
		client.sendRaw(concat(Frames.encode(1, bytes("first")), Frames.encode(2, bytes("second")),
				Frames.encode(3, bytes("third"))));
		List<Integer> arrival = new ArrayList<>();
		arrival.add(client.receive().taskId());
		second.countDown();
		arrival.add(client.receive().taskId());
		first.countDown();
		arrival.add(client.receive().taskId());
		assertThat(arrival).containsExactly(3, 2, 1);
	}

	@Test
	void whenOneConnectionHasASlowHandlerThenAnotherConnectionIsServed() {
		CountDownLatch slow = this.fixture.gate("slow");
		start(AnetServerTests.config(), this.fixture::gatedEcho);
		TestClient blocked = this.fixture.connect();
		blocked.send(1, bytes("slow"));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 1);
		TestClient other = this.fixture.connect();
		assertThat(other.request(bytes("fast"))).asString(StandardCharsets.UTF_8).isEqualTo("fast");
		// also the same connection: its later request is not held up by the slow one
		blocked.send(2, bytes("quick"));
		assertThat(blocked.receive().taskId()).isEqualTo(2);
		slow.countDown();
		assertThat(blocked.receive().text()).isEqualTo("slow");
	}

	@Test
	void whenHandlerThrowsThenNextRequestOnSameConnectionSucceeds() {
		start(AnetServerTests.config(), (connection, request) -> {
			if (new String(request, StandardCharsets.UTF_8).equals("fail")) {
				throw new IllegalStateException("handler failure on purpose");
			}
			return request;
		});
		TestClient client = this.fixture.connect();
		client.send(1, bytes("fail"));
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.ERROR) == 1);
		client.send(2, bytes("ok"));
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(2);
		assertThat(answer.text()).isEqualTo("ok");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.listener.outcomeByRequest).containsEntry("fail", HandlerOutcome.ERROR)
				.containsEntry("ok", HandlerOutcome.SUCCESS));
		assertThat(this.server.activeConnections()).isEqualTo(1);
	}

	@Test
	void whenAnswerIsOverTheLimitThenNothingIsSentAndConnectionStays() {
		start(AnetServerTests.config(), (connection, request) -> {
			int size = Integer.parseInt(new String(request, StandardCharsets.UTF_8));
			byte[] answer = new byte[size];
			Arrays.fill(answer, (byte) 'z');
			return answer;
		});
		TestClient client = this.fixture.connect();
		client.send(1, bytes(String.valueOf(Frames.MAX_BODY_SIZE + 1)));
		await().atMost(WAIT).until(() -> this.listener.count(HandlerOutcome.ERROR) == 1);
		client.send(2, bytes(String.valueOf(Frames.MAX_BODY_SIZE)));
		TestClient.Frame answer = client.receive();
		assertThat(answer.taskId()).isEqualTo(2);
		assertThat(answer.body()).hasSize(Frames.MAX_BODY_SIZE).containsOnly((byte) 'z');
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.listener.outcomeByRequest).containsEntry("65532", HandlerOutcome.ERROR)
				.containsEntry("65531", HandlerOutcome.SUCCESS));
	}

	@Test
	void whenManyRequestsArePipelinedThenEveryAnswerArrivesWithItsTaskId() {
		start(AnetServerTests.config(), (connection, request) -> request);
		TestClient client = this.fixture.connect();
		int count = 500;
		byte[][] frames = new byte[count][];
		for (int i = 0; i < count; i++) {
			frames[i] = Frames.encode(i, bytes("request-" + i));
		}
		client.sendRaw(concat(frames));
		Map<Integer, byte[]> answers = client.receive(count);
		assertThat(answers).hasSize(count);
		answers.forEach((taskId, body) -> assertThat(new String(body, StandardCharsets.UTF_8))
			.isEqualTo("request-" + taskId));
	}

	@Test
	void whenAFrameIsInvalidThenOnlyItsConnectionIsClosed() {
		start(AnetServerTests.config(), (connection, request) -> request);
		TestClient good = this.fixture.connect();
		TestClient bad = this.fixture.connect();
		assertThat(good.request(bytes("before"))).asString(StandardCharsets.UTF_8).isEqualTo("before");
		assertThat(bad.request(bytes("valid"))).asString(StandardCharsets.UTF_8).isEqualTo("valid");
		// a frame of length 3, then a valid one that is never read
		bad.sendRaw(concat(new byte[] { 0, 3, 1, 2, 3 }, Frames.encode(7, bytes("unread"))));
		assertThat(bad.readUntilClosed(WAIT)).isZero();
		assertThat(good.request(bytes("after"))).asString(StandardCharsets.UTF_8).isEqualTo("after");
		assertThat(this.listener.invalidFrameLengths).containsExactly(3);
		await().atMost(WAIT).until(() -> this.server.activeConnections() == 1);
	}

	@Test
	void whenMaxConcurrentHandlersAreBusyThenFurtherRequestsWaitForAPermit() {
		CountDownLatch gate = this.fixture.gate("blocked");
		start(AnetServerTests.config().maxConcurrentHandlers(2), this.fixture::gatedEcho);
		TestClient first = this.fixture.connect();
		TestClient second = this.fixture.connect();
		first.send(1, bytes("blocked"));
		second.send(1, bytes("blocked"));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 2);
		TestClient third = this.fixture.connect();
		third.send(1, bytes("waiting"));
		// the third request cannot start while both permits are taken
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> this.listener.outcomeByRequest.isEmpty());
		gate.countDown();
		assertThat(third.receive().text()).isEqualTo("waiting");
		assertThat(first.receive().text()).isEqualTo("blocked");
		assertThat(second.receive().text()).isEqualTo("blocked");
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 0);
	}

	@Test
	void whenAnAnswerWaitsForAQueuedSiblingThenItIsWrittenWhenTheSiblingStartsNotWhenItEnds() throws Exception {
		CountDownLatch blocker = this.fixture.gate("blocks");
		BlockingQueue<Runnable> submitted = new LinkedBlockingQueue<>();
		start(AnetServerTests.config().handlerExecutor(submitted::add), this.fixture::gatedEcho);
		TestClient client = this.fixture.connect();
		client.sendRaw(concat(Frames.encode(1, bytes("quick")), Frames.encode(2, bytes("blocks"))));
		Runnable quick = submitted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		Runnable blocking = submitted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(quick).isNotNull();
		assertThat(blocking).isNotNull();
		quick.run();
		// the quick answer waits for its sibling to start, so both can share one write
		assertThat(client.socket().getInputStream().available()).isZero();
		Thread thread = new Thread(blocking, "test-blocking-handler");
		thread.start();
		TestClient.Frame first = client.receive();
		assertThat(first.taskId()).isEqualTo(1);
		assertThat(thread.isAlive()).isTrue();
		blocker.countDown();
		assertThat(client.receive().taskId()).isEqualTo(2);
		thread.join(WAIT.toMillis());
	}

	@Test
	void whenHandlersBlockThenTheServerRunsManyOfThemAtOnce() {
		int connections = 4;
		int perConnection = 25;
		CountDownLatch allStarted = new CountDownLatch(connections * perConnection);
		start(AnetServerTests.config(), (connection, request) -> {
			allStarted.countDown();
			// each handler returns only once all of them run at the same time
			if (!allStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(allStarted.getCount() + " handlers never started");
			}
			return request;
		});
		List<TestClient> senders = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			TestClient client = this.fixture.connect();
			senders.add(client);
			byte[][] frames = new byte[perConnection][];
			for (int i = 0; i < perConnection; i++) {
				frames[i] = Frames.encode(i, bytes(c + "/" + i));
			}
			client.sendRaw(concat(frames));
		}
		for (int c = 0; c < connections; c++) {
			Map<Integer, byte[]> answers = senders.get(c).receive(perConnection);
			for (int i = 0; i < perConnection; i++) {
				assertThat(answers.get(i)).asString(StandardCharsets.UTF_8).isEqualTo(c + "/" + i);
			}
		}
	}

	@Test
	void listenerCountsRequestsByOutcomeInvalidFramesAndConnectionsBackToZero() {
		start(AnetServerTests.config(), (connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			if (text.startsWith("throw")) {
				throw new IllegalArgumentException("on purpose");
			}
			if (text.startsWith("null")) {
				return null;
			}
			if (text.startsWith("big")) {
				return new byte[Frames.MAX_BODY_SIZE + 1];
			}
			return request;
		});
		try (TestClient a = TestClient.connect(this.server.port());
				TestClient b = TestClient.connect(this.server.port())) {
			for (int i = 0; i < 5; i++) {
				assertThat(a.request(bytes("ok-" + i))).asString(StandardCharsets.UTF_8).isEqualTo("ok-" + i);
			}
			b.send(100, bytes("throw-1"));
			b.send(101, bytes("throw-2"));
			b.send(102, bytes("null-1"));
			b.send(103, bytes("big-1"));
			b.send(104, bytes("ok-last"));
			assertThat(b.receive().taskId()).isEqualTo(104);
			TestClient invalid = TestClient.connect(this.server.port());
			invalid.sendRaw(new byte[] { 0, 1, 9 });
			assertThat(invalid.readUntilClosed(WAIT)).isZero();
			invalid.close();
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.listener.count(HandlerOutcome.ERROR)).isEqualTo(3));
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.listener.opened.get()).isEqualTo(3);
			assertThat(this.listener.closed.get()).isEqualTo(3);
			assertThat(this.server.activeConnections()).isZero();
			assertThat(this.listener.count(HandlerOutcome.SUCCESS)).isEqualTo(6);
			assertThat(this.listener.count(HandlerOutcome.NO_RESPONSE)).isEqualTo(1);
			assertThat(this.listener.count(HandlerOutcome.ERROR)).isEqualTo(3);
		});
		assertThat(this.listener.invalidFrameLengths).containsExactly(1);
		assertThat(this.listener.rejected.get()).isZero();
		assertThat(this.listener.closedById.values()).allMatch((count) -> count.get() == 1);
	}

	@Test
	void whenClientHalfClosesThenPendingAnswersAreStillWrittenBeforeTheServerCloses() {
		CountDownLatch gate = this.fixture.gate("late");
		start(AnetServerTests.config(), this.fixture::gatedEcho);
		TestClient client = this.fixture.connect();
		client.send(1, bytes("late"));
		await().atMost(WAIT).until(() -> this.server.handlersRunning() == 1);
		client.shutdownOutput();
		gate.countDown();
		assertThat(client.receive().text()).isEqualTo("late");
		assertThat(client.readUntilClosed(WAIT)).isZero();
		await().atMost(WAIT).until(() -> this.server.activeConnections() == 0);
	}

	private void start(ServerConfig.Builder config, Handler handler) {
		this.server = this.fixture.start(config.build(), handler, this.listener);
	}

	static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, offset, part.length);
			offset += part.length;
		}
		return all;
	}

}
