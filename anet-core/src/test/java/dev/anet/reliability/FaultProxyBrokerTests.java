package dev.anet.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.ConnectionLostException;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.testsupport.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected between a real {@link Broker} and a real {@link AnetServer} by a
 * {@link FaultProxy}. Each test checks the promises: no caller waits past its deadline (plus
 * {@link Calls#MARGIN}), no answer reaches the wrong caller, the requests in flight on a broken
 * connection fail with {@link ConnectionLostException} or a timeout, and the same broker serves the
 * next requests by itself.
 */
class FaultProxyBrokerTests {

	private static final Duration DEADLINE = Duration.ofSeconds(3);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Calls calls = new Calls();

	private final CountDownLatch release = new CountDownLatch(1);

	private AnetServer server;

	private FaultProxy proxy;

	@AfterEach
	void cleanUp() throws Exception {
		this.release.countDown();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	/** Echo, but a request starting with "hold" waits until the test releases it. */
	private final Handler echo = (connection, request) -> {
		if (new String(request, StandardCharsets.UTF_8).startsWith("hold")) {
			this.release.await(10, TimeUnit.SECONDS);
		}
		return request;
	};

	private void start(Handler handler, Consumer<ServerConfig.Builder> config) throws IOException {
		ServerConfig.Builder builder = ServerConfig.builder().address("127.0.0.1").port(0)
			.shutdownTimeout(Duration.ofSeconds(1));
		config.accept(builder);
		this.server = new AnetServer(builder.build(), handler);
		this.server.start();
		this.resources.add(this.server);
		this.proxy = new FaultProxy(this.server.port());
		this.resources.add(this.proxy);
	}

	private void start() throws IOException {
		start(this.echo, (config) -> {
		});
	}

	private Broker broker(String address, int capacity, Consumer<BrokerConfig.Builder> config) {
		PoolGroup pools = new PoolGroup(List.of(Addresses.parse(address)), PoolConfig.builder().capacity(capacity).build(),
				PoolListener.NONE);
		BrokerConfig.Builder builder = BrokerConfig.builder();
		config.accept(builder);
		Broker broker = new Broker(pools, builder.build());
		this.resources.add(broker);
		return broker;
	}

	private Broker brokerThroughProxy() {
		return broker(this.proxy.address(), 1, (config) -> {
		});
	}

	/** Send {@code count} requests one after the other; each must succeed with its own answer. */
	private void assertServed(Broker broker, String prefix, int count) {
		for (int i = 0; i < count; i++) {
			Calls.Call call = this.calls.send(broker, prefix + "-" + i, DEADLINE);
			assertThat(call.failure()).as("failure of %s", call.payload()).isNull();
		}
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	enum Drop {

		RST, FIN

	}

	@ParameterizedTest
	@EnumSource(Drop.class)
	void whenAConnectionIsDroppedMidFlightThenItsRequestsFailWithConnectionLostAndTheNextOnesSucceed(Drop drop)
			throws Exception {
		start();
		Broker broker = brokerThroughProxy();
		assertServed(broker, "before", 3);
		List<CompletableFuture<Calls.Call>> held = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			held.add(this.calls.sendAsync(broker, "hold-" + i, DEADLINE));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.handlersRunning() == 8);
		long dropped = System.nanoTime();
		if (drop == Drop.RST) {
			this.proxy.resetAll();
		}
		else {
			this.proxy.closeAll();
		}
		for (CompletableFuture<Calls.Call> future : held) {
			Calls.Call call = future.get(DEADLINE.plus(Calls.MARGIN).toMillis(), TimeUnit.MILLISECONDS);
			assertThat(call.failure()).as("outcome of %s", call.payload()).isInstanceOf(ConnectionLostException.class);
			assertThat(call.failure()).hasMessageContaining(this.proxy.address());
		}
		// lost at once, not at the deadline
		assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(DEADLINE);
		this.release.countDown();
		assertServed(broker, "after", 10);
		assertThat(this.proxy.accepted()).as("connections dialled").isEqualTo(2);
		assertThat(broker.inFlight()).isZero();
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenAConnectionGoesHalfOpenThenItsRequestsTimeOutAndTheBrokerReplacesItByItself() throws Exception {
		start();
		Broker broker = brokerThroughProxy();
		assertServed(broker, "before", 3);
		FaultProxy.Link first = this.proxy.openLinks().get(0);
		first.halfOpen();
		Duration deadline = Duration.ofMillis(300);
		int timeouts = 0;
		Calls.Call call = null;
		for (int i = 0; i < 10; i++) {
			call = this.calls.send(broker, "silent-" + i, deadline);
			if (call.succeeded()) {
				break;
			}
			assertThat(call.failure()).isInstanceOf(AnetTimeoutException.class);
			timeouts++;
		}
		assertThat(call.succeeded()).as("a request succeeded again after %d timeouts", timeouts).isTrue();
		assertThat(timeouts).isEqualTo(3);
		assertThat(this.proxy.accepted()).as("connections dialled").isEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> !first.isOpen());
		assertServed(broker, "after", 10);
		assertThat(this.proxy.accepted()).isEqualTo(2);
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenAHalfOpenConnectionHasRequestsInFlightThenTheyTimeOutWithinTheirDeadline() throws Exception {
		start();
		Broker broker = brokerThroughProxy();
		assertServed(broker, "before", 3);
		this.proxy.halfOpenAll();
		List<CompletableFuture<Calls.Call>> silent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			silent.add(this.calls.sendAsync(broker, "silent-" + i, Duration.ofMillis(200 + 20 * i)));
		}
		for (CompletableFuture<Calls.Call> future : silent) {
			Calls.Call call = future.get(10, TimeUnit.SECONDS);
			assertThat(call.failure()).as("outcome of %s", call.payload())
				.isInstanceOfAny(AnetTimeoutException.class, ConnectionLostException.class);
		}
		assertServed(broker, "after", 10);
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenWritesAreFragmentedToSingleBytesBothWaysThenEveryCallerGetsItsOwnAnswer() throws Exception {
		start();
		this.proxy.toServer().fragment(true);
		this.proxy.toClient().fragment(true);
		Broker broker = broker(this.proxy.address(), 2, (config) -> {
		});
		int threads = 8;
		int perThread = 20;
		ExecutorService callers = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(callers.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						this.calls.send(broker, payload("t" + thread + "-" + i, ThreadLocalRandom.current().nextInt(1, 300)),
								Duration.ofSeconds(10));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			callers.shutdownNow();
		}
		Calls.Call large = this.calls.send(broker, payload("large", 4000), Duration.ofSeconds(10));
		assertThat(this.calls.failures()).isEmpty();
		assertThat(this.calls.successes()).hasSize(threads * perThread + 1);
		assertThat(large.succeeded()).isTrue();
		this.calls.assertEveryAnswerIsTheCallersOwn();
		this.calls.assertNoCallerWaitedPastItsDeadline();
		// every byte went on its own both ways: far more writes than frames
		long bytes = this.calls.all().stream().mapToLong((call) -> call.payload().length() + 6).sum();
		assertThat(this.proxy.toServer().writes()).isGreaterThanOrEqualTo(bytes);
		assertThat(this.proxy.toClient().writes()).isGreaterThanOrEqualTo(bytes);
		assertThat(this.proxy.accepted()).isLessThanOrEqualTo(2);
	}

	@Test
	void whenAnAnswerHasAnUnknownTaskIdThenItIsDroppedAndCountedAndTheConnectionIsKept() throws Exception {
		start();
		Broker broker = brokerThroughProxy();
		assertServed(broker, "before", 3);
		this.proxy.toClient().rewrite(FaultProxy.retag(1, (taskId) -> taskId ^ 0x40000000));
		Calls.Call lost = this.calls.send(broker, "retagged", Duration.ofMillis(500));
		assertThat(lost.failure()).isInstanceOf(AnetTimeoutException.class);
		assertThat(broker.lateResponses()).as("dropped answers").isEqualTo(1);
		assertServed(broker, "after", 10);
		assertThat(this.proxy.accepted()).as("connections dialled").isEqualTo(1);
		assertThat(this.proxy.openLinks()).hasSize(1);
		assertThat(broker.lateResponses()).isEqualTo(1);
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenEveryAnswerComesTwiceThenEachCallerGetsItsOwnOnceAndTheDuplicatesAreCounted() throws Exception {
		start();
		int threads = 4;
		int perThread = 25;
		this.proxy.toClient().rewrite(FaultProxy.duplicate(Integer.MAX_VALUE));
		Broker broker = brokerThroughProxy();
		ExecutorService callers = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(callers.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						this.calls.send(broker, "twice-" + thread + "-" + i, DEADLINE);
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(this.calls.failures()).isEmpty();
		assertThat(this.calls.successes()).hasSize(threads * perThread);
		this.calls.assertEveryAnswerIsTheCallersOwn();
		this.calls.assertNoCallerWaitedPastItsDeadline();
		await().atMost(Duration.ofSeconds(5)).until(() -> broker.lateResponses() == threads * perThread);
		assertThat(this.proxy.accepted()).as("connections dialled").isEqualTo(1);
	}

	@Test
	void whenAnswersAreDelayedPastTheDeadlineThenCallersTimeOutOnTimeAndLateAnswersAreCounted() throws Exception {
		start();
		Broker broker = brokerThroughProxy();
		assertServed(broker, "before", 3);
		Duration delay = Duration.ofMillis(2500);
		this.proxy.toClient().delay(delay);
		Calls.Call early = this.calls.send(broker, "impatient", Duration.ofMillis(200));
		assertThat(early.failure()).isInstanceOf(AnetTimeoutException.class);
		// not held until the answer came: a caller that waited for it would be past the margin
		assertThat(early.waited()).isLessThan(delay);
		Calls.Call patient = this.calls.send(broker, "patient", Duration.ofSeconds(10));
		assertThat(patient.succeeded()).isTrue();
		assertThat(patient.waited()).isGreaterThanOrEqualTo(delay.minusMillis(100));
		assertThat(broker.lateResponses()).isEqualTo(1);
		this.proxy.toClient().delay(Duration.ZERO);
		assertServed(broker, "after", 5);
		assertThat(this.proxy.accepted()).isEqualTo(1);
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenABrokerStopsReadingThenTheServerPushesBackAndOtherConnectionsAreServed() throws Exception {
		int requests = 200;
		int answerSize = 60_000;
		AtomicInteger bigHandled = new AtomicInteger();
		start((connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			if (!text.startsWith("big-")) {
				return request;
			}
			bigHandled.incrementAndGet();
			byte[] answer = Arrays.copyOf(request, answerSize);
			answer[answerSize - 1] = (byte) text.hashCode();
			return answer;
		}, (config) -> config.writeQueueDepth(4).writeTimeout(Duration.ZERO));
		this.proxy.toClient().stall(true);
		Broker slow = brokerThroughProxy();
		Broker other = broker("127.0.0.1:" + this.server.port(), 1, (config) -> {
		});
		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			answers.add(slow.sendAsync(("big-" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30)));
		}
		// the server handles what the socket buffers hold, then stops reading that connection
		AtomicInteger lastSeen = new AtomicInteger(-1);
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
			int now = bigHandled.get();
			return now > 0 && now == lastSeen.getAndSet(now);
		});
		int stalled = bigHandled.get();
		assertThat(stalled).as("requests handled while the broker does not read").isLessThan(requests);
		assertServed(other, "other", 20);
		for (Calls.Call call : this.calls.all()) {
			assertThat(call.waited()).as("wait of %s beside the stalled connection", call.payload())
				.isLessThan(Duration.ofSeconds(2));
		}
		assertThat(bigHandled.get()).as("still pushed back").isEqualTo(stalled);
		this.proxy.toClient().stall(false);
		for (int i = 0; i < requests; i++) {
			byte[] answer = answers.get(i).get(30, TimeUnit.SECONDS);
			String request = "big-" + i;
			assertThat(answer).hasSize(answerSize);
			assertThat(new String(answer, 0, request.length(), StandardCharsets.UTF_8)).isEqualTo(request);
			assertThat(answer[answerSize - 1]).isEqualTo((byte) request.hashCode());
		}
		assertThat(bigHandled.get()).isEqualTo(requests);
		assertThat(this.proxy.accepted()).isEqualTo(1);
	}

	private static String payload(String name, int size) {
		StringBuilder text = new StringBuilder(name).append(':');
		while (text.length() < size) {
			text.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
		}
		return text.toString();
	}

}
