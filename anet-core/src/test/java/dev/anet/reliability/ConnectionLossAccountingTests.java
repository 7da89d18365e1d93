package dev.anet.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.ConnectionLostException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.testsupport.ConcurrentCallers;
import dev.anet.testsupport.SilentListener;
import dev.anet.testsupport.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lost or slow connection fails only what it must: {@link ConnectionLostException} only for
 * requests whose bytes were handed to the lost connection's socket (the test servers count what
 * reached them), every other request goes over another connection within its own deadline, none is
 * written twice, and a connection presumed half-open stops taking requests without failing those it
 * carries.
 */
class ConnectionLossAccountingTests {

	private static final int ANSWERS_BEFORE_FIN = 50;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Calls calls = new Calls();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private Broker broker(String address, int capacity, Duration readTimeout) {
		PoolGroup pools = PoolGroup.of(List.of(address), PoolConfig.builder().capacity(capacity).build());
		return track(new Broker(pools, BrokerConfig.builder().readTimeout(readTimeout).build()));
	}

	/**
	 * Answers {@value #ANSWERS_BEFORE_FIN} requests on its first connection, then half-closes it (FIN)
	 * and keeps reading it; every later connection echoes. Counts, per connection and in all, the
	 * requests that reached it, and every payload it ever received.
	 */
	private static final class FinAfterAnswers implements TestServer.Responder {

		final Map<TestServer.Conn, AtomicInteger> received = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> payloads = new ConcurrentHashMap<>();

		volatile TestServer.Conn first;

		final AtomicInteger answeredOnFirst = new AtomicInteger();

		@Override
		public synchronized void onRequest(TestServer.Conn conn, int taskId, byte[] body) throws IOException {
			if (this.first == null) {
				this.first = conn;
			}
			this.received.computeIfAbsent(conn, (c) -> new AtomicInteger()).incrementAndGet();
			this.payloads.computeIfAbsent(new String(body, StandardCharsets.UTF_8), (p) -> new AtomicInteger())
				.incrementAndGet();
			if (conn != this.first) {
				conn.reply(taskId, body);
			}
			else if (this.answeredOnFirst.get() < ANSWERS_BEFORE_FIN) {
				conn.reply(taskId, body);
				if (this.answeredOnFirst.incrementAndGet() == ANSWERS_BEFORE_FIN) {
					conn.shutdownOutput();
				}
			}
		}

		/** Requests that reached the first connection and got no answer. */
		int unansweredOnFirst() {
			return this.received.get(this.first).get() - this.answeredOnFirst.get();
		}

		List<String> receivedTwice() {
			return this.payloads.entrySet().stream().filter((e) -> e.getValue().get() > 1).map(Map.Entry::getKey).toList();
		}

	}

	@Test
	void whenAConnectionIsHalfClosedUnder64CallersThenOnlyTheRequestsThatReachedItAreLost() throws Exception {
		FinAfterAnswers responder = new FinAfterAnswers();
		TestServer server = track(new TestServer(responder));
		Broker broker = broker(server.address(), 4, Duration.ofSeconds(10));

		List<Throwable> stuck = ConcurrentCallers.run(64, 100, Duration.ofMinutes(2),
				(thread, i) -> this.calls.send(broker, "c" + thread + "-" + i, Duration.ofSeconds(10)));

		assertThat(stuck).isEmpty();

		assertOnlyWhatReachedTheLostConnectionFailed(responder, 64 * 100);
	}

	@Test
	void whenAConnectionIsHalfClosedUnderAnAsyncBurstThenOnlyTheRequestsThatReachedItAreLost() throws Exception {
		FinAfterAnswers responder = new FinAfterAnswers();
		TestServer server = track(new TestServer(responder));
		Broker broker = broker(server.address(), 4, Duration.ofSeconds(10));

		List<CompletableFuture<Calls.Call>> burst = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			burst.add(this.calls.sendAsync(broker, "a" + i, Duration.ofSeconds(10)));
		}
		CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

		assertOnlyWhatReachedTheLostConnectionFailed(responder, 3000);
	}

	private void assertOnlyWhatReachedTheLostConnectionFailed(FinAfterAnswers responder, int requests) {
		assertThat(this.calls.all()).hasSize(requests);
		List<Calls.Call> lost = this.calls.failures()
			.stream()
			.filter((call) -> call.failure() instanceof ConnectionLostException)
			.toList();
		assertThat(responder.first).as("the first connection").isNotNull();
		assertThat(lost.size()).as("requests failed as lost; %d reached the lost connection unanswered; failures %s",
				responder.unansweredOnFirst(), failureCounts())
			.isLessThanOrEqualTo(responder.unansweredOnFirst());
		assertThat(this.calls.failures()).as("failures other than the lost ones")
			.allSatisfy((call) -> assertThat(call.failure()).isInstanceOf(ConnectionLostException.class));
		assertThat(responder.receivedTwice()).as("requests the server received twice").isEmpty();
		this.calls.assertEveryAnswerIsTheCallersOwn();
		this.calls.assertNoCallerWaitedPastItsDeadline();
	}

	@Test
	void whenShortDeadlinesTimeOutOnASlowServerThenPatientRequestsStillGetTheirAnswers() throws Exception {
		ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
		track(later::shutdownNow);
		TestServer server = track(new TestServer((conn, taskId, body) -> later.schedule(() -> {
			conn.reply(taskId, body);
			return null;
		}, 1, TimeUnit.SECONDS)));
		Broker broker = broker(server.address(), 1, Duration.ofSeconds(30));

		List<CompletableFuture<Calls.Call>> patient = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			patient.add(this.calls.sendAsync(broker, "patient-" + i, Duration.ofSeconds(10)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 10);
		for (int i = 0; i < 3; i++) {
			Calls.Call impatient = this.calls.send(broker, "impatient-" + i, Duration.ofMillis(100));
			assertThat(impatient.failure()).as("impatient request %d", i).isInstanceOf(AnetTimeoutException.class);
		}
		// presumed half-open: new requests go over a replacement connection
		Calls.Call next = this.calls.send(broker, "next", Duration.ofSeconds(5));

		for (CompletableFuture<Calls.Call> future : patient) {
			Calls.Call call = future.get(15, TimeUnit.SECONDS);
			assertThat(call.failure()).as("outcome of %s", call.payload()).isNull();
		}
		assertThat(next.failure()).isNull();
		assertThat(server.accepted()).as("connections dialled").isEqualTo(2);
		// the suspected connection closes once it has nothing in flight
		await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
		assertThat(broker.inFlight()).isZero();
		this.calls.assertEveryAnswerIsTheCallersOwn();
		this.calls.assertNoCallerWaitedPastItsDeadline();
	}

	@Test
	void whenARequestTimesOutWhileADialHangsThenTheMessageNamesTheAddressAndTheDial() throws Exception {
		InetSocketAddress silent = SilentListener.open(this.resources::add);
		String address = "127.0.0.1:" + silent.getPort();
		PoolGroup pools = PoolGroup.of(List.of(address), PoolConfig.builder().dialTimeout(Duration.ofSeconds(5)).build());
		Broker broker = track(new Broker(pools, BrokerConfig.defaults()));

		Calls.Call call = this.calls.send(broker, "hello", Duration.ofMillis(300));

		assertThat(call.failure()).isInstanceOf(AnetTimeoutException.class)
			.hasMessageStartingWith("No answer within 300 ms (request was still queued and was not sent: dial to "
					+ address + " in progress for ")
			.hasMessageEndingWith(" ms)");
	}

	@Test
	void whenEveryConnectionIsAtItsInFlightBoundThenAQueuedTimeoutSaysSo() throws Exception {
		TestServer server = track(new TestServer((conn, taskId, body) -> {
			// never answers
		}));
		PoolGroup pools = PoolGroup.of(List.of(server.address()), PoolConfig.builder().capacity(1).build());
		Broker broker = track(new Broker(pools, BrokerConfig.builder().maxInFlightPerConnection(1).build()));
		CompletableFuture<Calls.Call> held = this.calls.sendAsync(broker, "held", Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.frames() == 1);

		Calls.Call call = this.calls.send(broker, "queued", Duration.ofMillis(200));

		assertThat(call.failure()).isInstanceOf(AnetTimeoutException.class)
			.hasMessage("No answer within 200 ms (request was still queued and was not sent: every connection was at "
					+ "its in-flight bound: " + server.address() + " 1 of 1 connections, 1 in flight each "
					+ "(maxInFlightPerConnection))");
		held.cancel(true);
	}

	@Test
	void whenAWriteStallsMidBatchThenOnlyTheFramesHandedToTheSocketAreLostAndTheRestGoElsewhere() throws Exception {
		// the first connection is read by nobody (until the end): once the socket buffers are full, the
		// broker's write to it blocks until writeTimeout closes it; later connections echo
		ServerSocket listener = track(new ServerSocket());
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		CompletableFuture<Socket> stuck = new CompletableFuture<>();
		Map<String, AtomicInteger> echoed = new ConcurrentHashMap<>();
		Thread acceptor = new Thread(() -> acceptStuckThenEcho(listener, stuck, echoed), "stuck-then-echo");
		acceptor.setDaemon(true);
		acceptor.start();
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + listener.getLocalPort()),
				PoolConfig.builder().capacity(2).build());
		Broker broker = track(new Broker(pools,
				BrokerConfig.builder().writeTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(30)).build()));
		String padding = ".".repeat(32 * 1024 - 8);
		List<CompletableFuture<Calls.Call>> calls = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			calls.add(this.calls.sendAsync(broker, String.format("r%06d-", i) + padding, Duration.ofSeconds(30)));
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

		// what the stalled connection was handed: read it all now (the broker closed it)
		List<String> handed = new ArrayList<>();
		int partial = 0;
		try (java.io.DataInputStream in = new java.io.DataInputStream(
				new java.io.BufferedInputStream(stuck.get(5, TimeUnit.SECONDS).getInputStream()))) {
			while (true) {
				byte[] payload = new byte[in.readUnsignedShort()];
				in.readFully(payload);
				handed.add(new String(payload, 4, 8, StandardCharsets.US_ASCII));
			}
		}
		catch (java.io.EOFException ex) {
			partial = 1;
		}
		List<String> lost = this.calls.failures()
			.stream()
			.filter((call) -> call.failure() instanceof ConnectionLostException)
			.map((call) -> call.payload().substring(0, 8))
			.toList();
		assertThat(handed).as("frames the stalled connection took").isNotEmpty();
		assertThat(lost).as("requests lost with the stalled connection").containsAll(handed);
		assertThat(lost.size()).as("lost; the stalled connection took %d whole; lost, not taken whole: %s", handed.size(),
				this.calls.failures().stream().filter((c) -> !handed.contains(c.payload().substring(0, 8)))
					.map((c) -> c.payload().substring(0, 8) + " " + c.failure().getMessage()).toList())
			.isLessThanOrEqualTo(handed.size() + partial);
		assertThat(this.calls.failures())
			.allSatisfy((call) -> assertThat(call.failure()).isInstanceOf(ConnectionLostException.class));
		assertThat(this.calls.successes()).as("requests that went over the other connection").isNotEmpty();
		assertThat(echoed.keySet()).as("lost requests that reached the other connection too")
			.doesNotContainAnyElementsOf(lost);
		assertThat(echoed.values()).as("requests received twice").allSatisfy((count) -> assertThat(count).hasValue(1));
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	/** Keep the first accepted socket unread; echo on every later one, counting each payload's first 8 bytes. */
	private static void acceptStuckThenEcho(ServerSocket listener, CompletableFuture<Socket> stuck,
			Map<String, AtomicInteger> echoed) {
		try {
			stuck.complete(listener.accept());
			for (int accepted = 0; accepted < 16; accepted++) {
				Socket socket = listener.accept();
				Thread echo = new Thread(() -> {
					try (socket; java.io.DataInputStream in = new java.io.DataInputStream(
							new java.io.BufferedInputStream(socket.getInputStream()))) {
						java.io.OutputStream out = socket.getOutputStream();
						while (true) {
							int length = in.readUnsignedShort();
							byte[] frame = new byte[2 + length];
							frame[0] = (byte) (length >> 8);
							frame[1] = (byte) length;
							in.readFully(frame, 2, length);
							echoed.computeIfAbsent(new String(frame, 6, 8, StandardCharsets.US_ASCII),
									(p) -> new AtomicInteger()).incrementAndGet();
							out.write(frame);
						}
					}
					catch (IOException ex) {
						// the broker closed it, or the test ended
					}
				}, "echo");
				echo.setDaemon(true);
				echo.start();
			}
		}
		catch (IOException ex) {
			// the test ended
		}
	}

	/** What the calls failed with, for a failure message. */
	private Map<String, Long> failureCounts() {
		return this.calls.failures()
			.stream()
			.collect(Collectors.groupingBy((call) -> call.failure().getClass().getSimpleName(), Collectors.counting()));
	}

}
