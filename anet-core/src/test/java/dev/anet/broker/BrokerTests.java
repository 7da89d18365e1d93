package dev.anet.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.anet.AnetTimeoutException;
import dev.anet.frame.FrameTooLargeException;
import dev.anet.frame.Frames;
import dev.anet.pool.NoPoolsAvailableException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.pool.Addresses;
import dev.anet.testsupport.ConcurrentCallers;
import dev.anet.testsupport.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link Broker} against a real loopback server.
 */
class BrokerTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Queue<RequestOutcome> outcomes = new ConcurrentLinkedQueue<>();

	private final CountDownLatch never = new CountDownLatch(1);

	@AfterEach
	void cleanUp() throws Exception {
		this.never.countDown();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private TestServer server(TestServer.Responder responder) throws IOException {
		TestServer server = new TestServer(responder);
		this.resources.add(server);
		return server;
	}

	private Broker broker(TestServer server, Consumer<PoolConfig.Builder> pool, Consumer<BrokerConfig.Builder> broker) {
		PoolConfig.Builder poolConfig = PoolConfig.builder();
		pool.accept(poolConfig);
		BrokerConfig.Builder brokerConfig = BrokerConfig.builder();
		broker.accept(brokerConfig);
		PoolGroup group = new PoolGroup(List.of(Addresses.parse(server.address())), poolConfig.build(), PoolListener.NONE);
		Broker result = new Broker(group, brokerConfig.build(), new BrokerListener() {
			@Override
			public void requestCompleted(RequestOutcome outcome, long nanos) {
				BrokerTests.this.outcomes.add(outcome);
			}
		});
		this.resources.add(result);
		return result;
	}

	/** A responder that answers each request from its own thread once {@code release} opens. */
	private static TestServer.Responder answerAfter(CountDownLatch release) {
		return (conn, taskId, body) -> new Thread(() -> {
			try {
				release.await(5, TimeUnit.SECONDS);
				conn.reply(taskId, body);
			}
			catch (Exception ex) {
				// the connection is gone: nothing to answer
			}
		}).start();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void whenServerEchoesThenSendReturnsTheAnswer() throws Exception {
		TestServer server = server(TestServer.echo());
		Broker broker = broker(server, (p) -> {
		}, (b) -> {
		});
		assertThat(broker.send(bytes("hello"))).isEqualTo(bytes("hello"));
		assertThat(broker.sendAsync(bytes("world")).get(5, TimeUnit.SECONDS)).isEqualTo(bytes("world"));
		assertThat(this.outcomes).containsExactly(RequestOutcome.SUCCESS, RequestOutcome.SUCCESS);
		assertThat(broker.inFlight()).isZero();
		assertThat(broker.queueSize()).isZero();
	}

	@Test
	void firstTaskIdIsOneAndTheWireFormatMatchesTheGoBroker() throws Exception {
		List<Integer> taskIds = new CopyOnWriteArrayList<>();
		TestServer server = server((conn, taskId, body) -> {
			taskIds.add(taskId);
			conn.reply(taskId, body);
		});
		Broker broker = broker(server, (p) -> {
		}, (b) -> {
		});
		byte[] payload = { (byte) 0xcc, (byte) 0xaf, (byte) 0x96, (byte) 0xf1, 0x12 };
		for (int i = 0; i < 3; i++) {
			assertThat(broker.send(payload)).isEqualTo(payload);
		}
		assertThat(taskIds).containsExactly(1, 2, 3);
		assertThat(server.bytesReceived()).isEqualTo(3 * (Frames.HEADER_SIZE + payload.length));
	}

	@Test
	void whenServerAnswersInReverseOrderThenEachAnswerReachesItsCaller() throws Exception {
		int batch = 8;
		List<Object[]> pending = new ArrayList<>();
		CountDownLatch callbacksRegistered = new CountDownLatch(1);
		List<String> arrivals = new CopyOnWriteArrayList<>();
		TestServer server = server((conn, taskId, body) -> {
			synchronized (pending) {
				arrivals.add(new String(body, StandardCharsets.UTF_8));
				pending.add(new Object[] { taskId, body });
				if (pending.size() == batch) {
					try {
						callbacksRegistered.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					for (int i = pending.size() - 1; i >= 0; i--) {
						conn.reply((int) pending.get(i)[0], (byte[]) pending.get(i)[1]);
					}
					pending.clear();
				}
			}
		});
		Broker broker = broker(server, (p) -> p.capacity(1), (b) -> {
		});
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < batch; i++) {
			futures.add(broker.sendAsync(bytes("request-" + i)));
		}
		List<String> completionOrder = new CopyOnWriteArrayList<>();
		for (int i = 0; i < batch; i++) {
			int index = i;
			futures.get(i).thenRun(() -> completionOrder.add("request-" + index));
		}
		callbacksRegistered.countDown();
		for (int i = 0; i < batch; i++) {
			assertThat(new String(futures.get(i).get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
				.isEqualTo("request-" + i);
		}
		List<String> reversed = new ArrayList<>(arrivals);
		java.util.Collections.reverse(reversed);
		assertThat(completionOrder).containsExactlyElementsOf(reversed);
		assertThat(server.accepted()).isEqualTo(1);
	}

	@Test
	void whenSixtyFourThreadsSendTenThousandRequestsEachThenEveryCallerGetsItsOwnBytes() throws Exception {
		TestServer server = server(TestServer.echo());
		Broker broker = broker(server, (p) -> p.capacity(8), (b) -> {
		});
		int threads = 64;
		int perThread = 10_000;
		AtomicInteger mismatches = new AtomicInteger();
		AtomicLong completed = new AtomicLong();
		List<Throwable> errors = ConcurrentCallers.run(threads, perThread, Duration.ofMinutes(3), (thread, i) -> {
			byte[] request = bytes("t" + thread + "-r" + i);
			byte[] answer = broker.send(request, Duration.ofSeconds(20));
			if (!java.util.Arrays.equals(request, answer)) {
				mismatches.incrementAndGet();
			}
			completed.incrementAndGet();
		});
		assertThat(errors).isEmpty();
		assertThat(mismatches.get()).isZero();
		assertThat(completed.get()).isEqualTo((long) threads * perThread);
		assertThat(server.frames()).isEqualTo(threads * perThread);
		assertThat(server.accepted()).isLessThanOrEqualTo(8);
		assertThat(broker.inFlight()).isZero();
	}

	@Test
	void whenNoAnswerComesThenSendTimesOutAndTheLateAnswerIsCountedAndTheConnectionReused() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		TestServer server = server((conn, taskId, body) -> {
			if (new String(body, StandardCharsets.UTF_8).equals("slow")) {
				Thread answer = new Thread(() -> {
					try {
						release.await(10, TimeUnit.SECONDS);
						conn.reply(taskId, body);
					}
					catch (Exception ex) {
						// connection gone
					}
				});
				answer.start();
			}
			else {
				conn.reply(taskId, body);
			}
		});
		Broker broker = broker(server, (p) -> p.capacity(1), (b) -> {
		});
		assertThat(broker.send(bytes("warm-up"))).isEqualTo(bytes("warm-up"));
		long start = System.nanoTime();
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> broker.send(bytes("slow"), Duration.ofMillis(200)))
			.withMessageContaining("200 ms")
			.withMessageContaining("was sent");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(broker.inFlight()).isZero();
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> broker.lateResponses() == 1);
		assertThat(broker.send(bytes("after"))).isEqualTo(bytes("after"));
		assertThat(server.accepted()).isEqualTo(1);
		assertThat(this.outcomes).containsExactly(RequestOutcome.SUCCESS, RequestOutcome.TIMEOUT,
				RequestOutcome.SUCCESS);
	}

	@Test
	void whenDeadlinePassesWhileQueuedThenTheRequestIsNeverWritten() throws Exception {
		TestServer server = server((conn, taskId, body) -> {
			if (!new String(body, StandardCharsets.UTF_8).equals("hold")) {
				conn.reply(taskId, body);
			}
		});
		Broker broker = broker(server, (p) -> p.capacity(1), (b) -> b.maxInFlightPerConnection(1));
		CompletableFuture<byte[]> held = broker.sendAsync(bytes("hold"));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 1);
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> broker.send(bytes("queued"), Duration.ofMillis(150)))
			.withMessageContaining("still queued");
		assertThat(broker.queueSize()).isZero();
		held.cancel(true);
		assertThat(broker.send(bytes("next"), Duration.ofSeconds(5))).isEqualTo(bytes("next"));
		assertThat(server.frames()).isEqualTo(2);
	}

	@Test
	void whenTheServerDropsTheConnectionThenRequestsInFlightFailAtOnceAndTheNextSendSucceeds() throws Exception {
		AtomicInteger received = new AtomicInteger();
		TestServer server = server((conn, taskId, body) -> {
			if (new String(body, StandardCharsets.UTF_8).startsWith("lost")) {
				received.incrementAndGet();
			}
			else {
				conn.reply(taskId, body);
			}
		});
		Broker broker = broker(server, (p) -> p.capacity(1), (b) -> {
		});
		List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			inFlight.add(broker.sendAsync(bytes("lost-" + i)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 10);
		long dropped = System.nanoTime();
		server.dropConnections();
		for (CompletableFuture<byte[]> future : inFlight) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(1, TimeUnit.SECONDS))
				.withCauseInstanceOf(ConnectionLostException.class)
				.withMessageContaining(server.address());
		}
		assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(1));
		assertThat(broker.inFlight()).isZero();
		assertThat(broker.send(bytes("again"), Duration.ofSeconds(5))).isEqualTo(bytes("again"));
		assertThat(server.accepted()).isEqualTo(2);
	}

	@Test
	void whenTheQueueIsFullThenSendRejectsAtOnce() throws Exception {
		TestServer server = server((conn, taskId, body) -> {
			// never answers
		});
		Broker broker = broker(server, (p) -> p.capacity(1),
				(b) -> b.maxInFlightPerConnection(1).queueSize(2).closeTimeout(Duration.ofMillis(100)));
		broker.sendAsync(bytes("in-flight"));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 1);
		broker.sendAsync(bytes("queued-1"));
		broker.sendAsync(bytes("queued-2"));
		assertThat(broker.queueSize()).isEqualTo(2);
		long start = System.nanoTime();
		assertThatExceptionOfType(QueueFullException.class).isThrownBy(() -> broker.send(bytes("one too many")))
			.withMessageContaining("2 requests");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		assertThat(this.outcomes).containsExactly(RequestOutcome.REJECTED);
		CompletableFuture<byte[]> async = broker.sendAsync(bytes("async too many"));
		assertThat(async).isCompletedExceptionally();
	}

	@Test
	void whenMaxInFlightIsReachedThenRequestsWaitInTheQueueAndTheServerNeverSeesMore() throws Exception {
		AtomicInteger outstanding = new AtomicInteger();
		AtomicInteger maxOutstanding = new AtomicInteger();
		TestServer server = server((conn, taskId, body) -> {
			maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
			new Thread(() -> {
				try {
					outstanding.decrementAndGet();
					conn.reply(taskId, body);
				}
				catch (IOException ex) {
					// gone
				}
			}).start();
		});
		Broker broker = broker(server, (p) -> p.capacity(2), (b) -> b.maxInFlightPerConnection(1));
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(broker.sendAsync(bytes("r" + i)));
		}
		for (int i = 0; i < 50; i++) {
			assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(bytes("r" + i));
		}
		assertThat(maxOutstanding.get()).isLessThanOrEqualTo(2);
		assertThat(server.accepted()).isLessThanOrEqualTo(2);
	}

	@Test
	void whenTheBodyIsTooLargeThenItIsRefusedBeforeAnyByteIsWritten() throws Exception {
		TestServer server = server(TestServer.echo());
		Broker broker = broker(server, (p) -> {
		}, (b) -> {
		});
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> broker.send(new byte[Frames.MAX_BODY_SIZE + 1]))
			.withMessageContaining("65532");
		assertThat(broker.sendAsync(new byte[Frames.MAX_BODY_SIZE + 1])).isCompletedExceptionally();
		assertThat(server.accepted()).isZero();
		assertThat(server.bytesReceived()).isZero();
		byte[] largest = new byte[Frames.MAX_BODY_SIZE];
		for (int i = 0; i < largest.length; i++) {
			largest[i] = (byte) (i * 7);
		}
		assertThat(broker.send(largest)).isEqualTo(largest);
	}

	@Test
	void whenEveryAddressIsDownThenSendFailsAtOnce() throws Exception {
		int deadPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			deadPort = socket.getLocalPort();
		}
		PoolGroup group = new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + deadPort)), PoolConfig.defaults(),
				PoolListener.NONE);
		Broker broker = new Broker(group, BrokerConfig.defaults());
		this.resources.add(broker);
		long start = System.nanoTime();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> broker.send(bytes("x"), Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex).isInstanceOfAny(NoPoolsAvailableException.class,
					dev.anet.pool.DialException.class))
			.withMessageContaining("127.0.0.1:" + deadPort);
		assertThatExceptionOfType(NoPoolsAvailableException.class)
			.isThrownBy(() -> broker.send(bytes("y"), Duration.ofSeconds(5)))
			.withMessageContaining("127.0.0.1:" + deadPort);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void whenClosedWithRequestsQueuedAndInFlightThenEveryCallerGetsAnOutcomeWithinCloseTimeout() throws Exception {
		TestServer server = server((conn, taskId, body) -> {
			// never answers
		});
		Broker broker = broker(server, (p) -> p.capacity(1),
				(b) -> b.maxInFlightPerConnection(4).closeTimeout(Duration.ofMillis(300)));
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			futures.add(broker.sendAsync(bytes("r" + i)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 4);
		long start = System.nanoTime();
		broker.close();
		broker.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1300));
		for (CompletableFuture<byte[]> future : futures) {
			assertThat(future).isCompletedExceptionally();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(future::get)
				.withCauseInstanceOf(BrokerClosedException.class);
		}
		assertThat(broker.inFlight()).isZero();
		assertThat(broker.queueSize()).isZero();
		assertThatExceptionOfType(BrokerClosedException.class).isThrownBy(() -> broker.send(bytes("late")));
		await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
	}

	@Test
	void whenCloseIsCalledWithRequestsInFlightThenTheyFinishWithinCloseTimeout() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		TestServer server = server(answerAfter(release));
		Broker broker = broker(server, (p) -> {
		}, (b) -> b.closeTimeout(Duration.ofSeconds(3)));
		CompletableFuture<byte[]> future = broker.sendAsync(bytes("finishing"));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 1);
		Thread closer = new Thread(broker::close);
		closer.start();
		await().atMost(Duration.ofSeconds(2)).until(broker::isClosed);
		release.countDown();
		assertThat(future.get(3, TimeUnit.SECONDS)).isEqualTo(bytes("finishing"));
		closer.join(4000);
		assertThat(closer.isAlive()).isFalse();
	}

	@Test
	void whenTheFutureIsCancelledThenTheRequestIsFreedAndTheAnswerCountedLate() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		TestServer server = server(answerAfter(release));
		Broker broker = broker(server, (p) -> {
		}, (b) -> {
		});
		CompletableFuture<byte[]> future = broker.sendAsync(bytes("cancel me"));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 1);
		assertThat(broker.inFlight()).isEqualTo(1);
		assertThat(future.cancel(true)).isTrue();
		assertThat(broker.inFlight()).isZero();
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> broker.lateResponses() == 1);
	}

	@Test
	void whenTheAsyncDeadlinePassesThenTheFutureFailsWithATimeout() throws Exception {
		TestServer server = server((conn, taskId, body) -> {
			// never answers
		});
		Broker broker = broker(server, (p) -> {
		}, (b) -> {
		});
		CompletableFuture<byte[]> future = broker.sendAsync(bytes("x"), Duration.ofMillis(100));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(2, TimeUnit.SECONDS))
			.withCauseInstanceOf(AnetTimeoutException.class);
		assertThat(broker.inFlight()).isZero();
	}

}
