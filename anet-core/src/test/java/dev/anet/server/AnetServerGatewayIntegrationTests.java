package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.testsupport.ConcurrentCallers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway: an anet server whose {@link AsyncHandler} calls a second anet server (the backend)
 * with {@code sendAsync} and answers when it replies. Many callers wait on it at once, yet its
 * threads stay few: no thread waits for the backend.
 *
 * <p>
 * The gateway's threads are the ones its thread factory made (accept, readers, handler threads),
 * counted in their own thread group, plus its one watchdog thread. The requests per caller are
 * {@value #DEFAULT_REQUESTS_PER_CALLER} unless the system property
 * {@code anet.gateway.requests-per-caller} says otherwise.
 */
class AnetServerGatewayIntegrationTests {

	private static final int CALLERS = 64;

	private static final int DEFAULT_REQUESTS_PER_CALLER = 10_000;

	/** Most threads the gateway may have at any time, its watchdog included. */
	private static final int MAX_GATEWAY_THREADS = 32;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final ThreadGroup gatewayThreads = new ThreadGroup("gateway");

	/** Backend requests held back (by the stop test) until released, with their answers. */
	private final Queue<Held> held = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean holding = new AtomicBoolean();

	private volatile boolean sampling = true;

	@AfterEach
	void cleanUp() throws Exception {
		this.sampling = false;
		this.holding.set(false);
		release();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void whenSixtyFourCallersSendThroughTheGatewayThenEveryAnswerIsRightAndItsThreadsStayFew() throws Exception {
		int perCaller = Integer.getInteger("anet.gateway.requests-per-caller", DEFAULT_REQUESTS_PER_CALLER);
		AnetServer gateway = gateway(ServerConfig.DEFAULT_WRITE_QUEUE_DEPTH);
		// 8 requests in flight per connection: the callers use all 8 connections, as compare.sh does
		Broker callers = broker(gateway, 8, 8);
		AtomicInteger maxThreads = new AtomicInteger();
		AtomicInteger maxPending = new AtomicInteger();
		Thread sampler = sampler(gateway, maxThreads, maxPending);
		AtomicInteger wrong = new AtomicInteger();
		long start = System.nanoTime();
		List<Throwable> failures = ConcurrentCallers.run(CALLERS, perCaller, Duration.ofMinutes(3), (caller, i) -> {
			String text = "caller-" + caller + "/request-" + i;
			byte[] answer = callers.send(text.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));
			if (!expected(text).equals(new String(answer, StandardCharsets.UTF_8))) {
				wrong.incrementAndGet();
			}
		});
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		this.sampling = false;
		sampler.join();
		assertThat(failures).isEmpty();
		assertThat(wrong.get()).isZero();
		assertThat(maxThreads.get()).as("most gateway threads at once").isLessThan(MAX_GATEWAY_THREADS);
		// the callers really waited on the gateway at once: more than it has threads
		assertThat(maxPending.get()).as("most requests pending at the gateway at once")
			.isGreaterThanOrEqualTo(MAX_GATEWAY_THREADS);
		System.out.printf("gateway: %d callers x %d requests in %d ms (%.0f rps), at most %d gateway threads and "
				+ "%d requests pending at once%n", CALLERS, perCaller, took.toMillis(),
				CALLERS * (double) perCaller / (took.toNanos() / 1e9), maxThreads.get(), maxPending.get());
	}

	@Test
	void whenTheGatewayStopsWhileAnswersArePendingThenItWritesThemAllBeforeItCloses() throws Exception {
		// room for every held request on one connection: the broker may put them all on one
		AnetServer gateway = gateway(1024);
		Broker callers = broker(gateway, 8, BrokerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
		this.holding.set(true);
		int count = 500;
		List<CompletableFuture<byte[]>> answers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			answers.add(callers.sendAsync(("held-" + i).getBytes(StandardCharsets.UTF_8)));
		}
		await().atMost(WAIT).until(() -> this.held.size() == count);
		assertThat(gateway.pendingAsync()).isEqualTo(count);
		assertThat(gateway.handlersRunning()).isZero();
		assertThat(gatewayThreadCount()).isLessThan(MAX_GATEWAY_THREADS);
		long stopStart = System.nanoTime();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::stop);
		await().atMost(WAIT).until(() -> !gateway.isRunning());
		this.holding.set(false);
		release();
		for (int i = 0; i < count; i++) {
			assertThat(new String(answers.get(i).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
				.isEqualTo(expected("held-" + i));
		}
		stopping.get(10, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - stopStart)).isLessThan(ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT);
		assertThat(gateway.pendingAsync()).isZero();
		assertThat(gateway.activeConnections()).isZero();
	}

	/** The backend reverses the request; the gateway puts its own mark after the backend's answer. */
	private static String expected(String request) {
		return new StringBuilder(request).reverse() + "|gw";
	}

	private AnetServer gateway(int writeQueueDepth) {
		AnetServer backend = AnetServer.async(config().writeQueueDepth(writeQueueDepth).build(), (connection, request) -> {
			byte[] answer = reversed(request);
			if (this.holding.get()) {
				CompletableFuture<byte @Nullable []> later = new CompletableFuture<>();
				this.held.add(new Held(later, answer));
				return later;
			}
			return CompletableFuture.completedFuture(answer);
		});
		start(backend);
		Broker toBackend = broker(backend, 4, BrokerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
		byte[] mark = "|gw".getBytes(StandardCharsets.US_ASCII);
		ThreadFactory factory = (task) -> {
			Thread thread = new Thread(this.gatewayThreads, task);
			thread.setDaemon(true);
			return thread;
		};
		AnetServer gateway = AnetServer.async(config().writeQueueDepth(writeQueueDepth).threadFactory(factory).build(),
				(connection, request) -> toBackend.sendAsync(request).thenApply((answer) -> {
					byte[] marked = new byte[answer.length + mark.length];
					System.arraycopy(answer, 0, marked, 0, answer.length);
					System.arraycopy(mark, 0, marked, answer.length, mark.length);
					return marked;
				}));
		return start(gateway);
	}

	private Thread sampler(AnetServer gateway, AtomicInteger maxThreads, AtomicInteger maxPending) {
		Thread sampler = new Thread(() -> {
			while (this.sampling) {
				maxThreads.accumulateAndGet(gatewayThreadCount(), Math::max);
				maxPending.accumulateAndGet(gateway.pendingAsync(), Math::max);
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "test-thread-sampler");
		sampler.setDaemon(true);
		sampler.start();
		return sampler;
	}

	/**
	 * Count the live threads of the gateway: those its thread factory made (in their own thread
	 * group: accept, readers, handler threads), and its watchdog. Walking the group takes no
	 * safepoint, unlike {@link Thread#getAllStackTraces()}, so sampling it often does not slow the
	 * run down.
	 */
	private int gatewayThreadCount() {
		Thread[] threads = new Thread[4 * this.gatewayThreads.activeCount() + 16];
		int found = this.gatewayThreads.enumerate(threads);
		int count = 1;
		for (int i = 0; i < found; i++) {
			if (threads[i].isAlive()) {
				count++;
			}
		}
		return count;
	}

	private void release() {
		for (Held request = this.held.poll(); request != null; request = this.held.poll()) {
			request.stage().complete(request.answer());
		}
	}

	private static ServerConfig.Builder config() {
		return ServerConfig.builder().address("127.0.0.1").port(0);
	}

	private AnetServer start(AnetServer server) {
		this.resources.add(server);
		server.start();
		return server;
	}

	private Broker broker(AnetServer server, int capacity, int maxInFlightPerConnection) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + server.port()),
				PoolConfig.builder().capacity(capacity).build());
		Broker broker = new Broker(pools,
				BrokerConfig.builder().maxInFlightPerConnection(maxInFlightPerConnection).build());
		this.resources.add(broker);
		return broker;
	}

	private static byte[] reversed(byte[] bytes) {
		byte[] reversed = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			reversed[i] = bytes[bytes.length - 1 - i];
		}
		return reversed;
	}

	private record Held(CompletableFuture<byte @Nullable []> stage, byte[] answer) {
	}

}
