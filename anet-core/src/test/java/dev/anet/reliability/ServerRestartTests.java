package dev.anet.reliability;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.ConnectionLostException;
import dev.anet.pool.Addresses;
import dev.anet.pool.DialException;
import dev.anet.pool.NoPoolsAvailableException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server is stopped and started again on the same port while 64 threads send through one
 * broker: callers get their own answer or a clear exception within their deadline, and the same
 * broker serves everyone again once the server is back.
 */
class ServerRestartTests {

	private static final int THREADS = 64;

	/** Bound each caller thread's loop, whatever happens to the phases. */
	private static final int MAX_CALLS_PER_THREAD = 50_000;

	private static final Duration MAX_LOAD = Duration.ofSeconds(60);

	private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(5);

	private static final Duration DEADLINE = Duration.ofSeconds(2);

	private static final Handler ECHO = (connection, request) -> request;

	private final Calls calls = new Calls();

	private final List<AnetServer> servers = new ArrayList<>();

	private final AtomicLong connectionsClosed = new AtomicLong();

	private final AtomicLong connectionsCreated = new AtomicLong();

	private Broker broker;

	private ExecutorService callers;

	@AfterEach
	void cleanUp() {
		if (this.callers != null) {
			this.callers.shutdownNow();
		}
		if (this.broker != null) {
			this.broker.close();
		}
		this.servers.forEach(AnetServer::stop);
	}

	private AnetServer startServer(int port) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(port)
			.shutdownTimeout(Duration.ofSeconds(1)).build(), ECHO);
		server.start();
		this.servers.add(server);
		return server;
	}

	@Test
	void whenTheServerRestartsOnTheSamePortUnderLoadThenCallersFailClearlyAndTheBrokerRecoversByItself()
			throws Exception {
		AnetServer first = startServer(0);
		int port = first.port();
		PoolGroup pools = new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + port)),
				PoolConfig.builder().capacity(4).build(), new PoolListener() {
					@Override
					public void connectionCreated(java.net.InetSocketAddress address) {
						ServerRestartTests.this.connectionsCreated.incrementAndGet();
					}

					@Override
					public void connectionClosed(java.net.InetSocketAddress address) {
						ServerRestartTests.this.connectionsClosed.incrementAndGet();
					}
				});
		this.broker = new Broker(pools, BrokerConfig.defaults());
		CountDownLatch stop = new CountDownLatch(1);
		AtomicInteger successes = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		this.callers = Executors.newFixedThreadPool(THREADS);
		List<Future<?>> loops = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			loops.add(this.callers.submit(() -> {
				long end = System.nanoTime() + MAX_LOAD.toNanos();
				for (int i = 0; i < MAX_CALLS_PER_THREAD && stop.getCount() > 0 && System.nanoTime() - end < 0; i++) {
					Calls.Call call = this.calls.send(this.broker, "caller-" + thread + "-" + i, DEADLINE);
					if (call.succeeded()) {
						successes.incrementAndGet();
					}
					else {
						failures.incrementAndGet();
						// while no server listens a send fails at once: pace the retries, as a real caller would
						stop.await(PAUSE_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
					}
				}
				return null;
			}));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> successes.get() >= THREADS * 5);
		first.stop();
		// the fault is felt: callers fail while no server listens
		await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() > 0);
		long createdBeforeRestart = this.connectionsCreated.get();
		startServer(port, Duration.ofSeconds(10));
		int atRestart = successes.get();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(successes.get()).as(() -> "successes after the restart; " + state(pools))
				.isGreaterThanOrEqualTo(atRestart + THREADS * 10));
		stop.countDown();
		for (Future<?> loop : loops) {
			loop.get(30, TimeUnit.SECONDS);
		}
		// every caller is served again, by the same broker
		for (int t = 0; t < THREADS; t++) {
			Calls.Call call = this.calls.send(this.broker, "final-" + t, DEADLINE);
			assertThat(call.failure()).as("failure of %s", call.payload()).isNull();
		}
		this.calls.assertNoCallerWaitedPastItsDeadline();
		this.calls.assertEveryAnswerIsTheCallersOwn();
		this.calls.assertFailuresAreOnly(ConnectionLostException.class, AnetTimeoutException.class,
				NoPoolsAvailableException.class, DialException.class);
		// the stop closes the listener first and then the connections: only a request written to one of
		// them is lost, and each blocking caller has at most one in flight when they close (after a
		// failure a caller pauses 5 ms, and no new connection can be made while no server listens)
		assertThat(this.calls.failures().stream().filter((call) -> call.failure() instanceof ConnectionLostException))
			.as("requests lost with the stopped server's connections; " + state(pools))
			.hasSizeLessThanOrEqualTo(THREADS);
		assertThat(this.connectionsClosed.get()).as("connections closed by the stop").isPositive();
		assertThat(this.connectionsCreated.get()).as("connections dialled after the restart")
			.isGreaterThan(createdBeforeRestart);
		assertThat(this.broker.inFlight()).isZero();
		assertThat(this.broker.queueSize()).isZero();
	}

	/** What the test saw so far, for a failure message. */
	private String state(PoolGroup pools) {
		Map<String, Long> failures = this.calls.failures()
			.stream()
			.collect(Collectors.groupingBy((call) -> call.failure().getClass().getSimpleName(), Collectors.counting()));
		return "servers " + this.servers + "; broker queue=" + this.broker.queueSize() + ", inFlight="
				+ this.broker.inFlight() + "; pool " + pools.stats() + "; failures " + failures;
	}

	/** Start a server on the port the first one had, retrying while the port is still held. */
	private void startServer(int port, Duration within) {
		await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreException(UncheckedIOException.class).until(() -> {
			startServer(port);
			return true;
		});
	}

}
