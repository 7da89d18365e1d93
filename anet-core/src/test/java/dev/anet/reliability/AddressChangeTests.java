package dev.anet.reliability;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.Addresses;
import dev.anet.pool.Balancing;
import dev.anet.pool.PoolClosedException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.testsupport.ConcurrentCallers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link PoolGroup#updateAddresses}: addresses join and leave under load and no request fails
 * because of it; a removed address finishes its requests in flight before its connections close;
 * and {@link Balancing#LEAST_IN_FLIGHT} sends less to a slow address.
 */
class AddressChangeTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Calls calls = new Calls();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private AnetServer server(Handler handler) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0)
			.shutdownTimeout(Duration.ofSeconds(1)).build(), handler);
		server.start();
		this.resources.add(server::stop);
		return server;
	}

	private static InetSocketAddress address(AnetServer server) {
		return Addresses.parse("127.0.0.1:" + server.port());
	}

	@Test
	void whenTheAddressesChangeEvery100msUnder64CallersThenNoRequestFails() throws Exception {
		List<InetSocketAddress> servers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			servers.add(address(server((connection, request) -> request)));
		}
		AtomicInteger closed = new AtomicInteger();
		PoolGroup pools = new PoolGroup(List.of(servers.get(0)), PoolConfig.builder().capacity(2).build(),
				new PoolListener() {
					@Override
					public void connectionClosed(InetSocketAddress address) {
						closed.incrementAndGet();
					}
				});
		Broker broker = new Broker(pools, BrokerConfig.defaults());
		this.resources.add(broker);
		CountDownLatch stop = new CountDownLatch(1);
		Thread changer = new Thread(() -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			try {
				// 10 s of changes, one every 100 ms: a random non-empty subset of the three
				for (int i = 0; i < 100 && !stop.await(100, TimeUnit.MILLISECONDS); i++) {
					List<InetSocketAddress> next = new ArrayList<>();
					int mask = 1 + random.nextInt(7);
					for (int s = 0; s < 3; s++) {
						if ((mask & (1 << s)) != 0) {
							next.add(servers.get(s));
						}
					}
					pools.updateAddresses(next);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "address-changer");
		changer.start();

		List<Throwable> stuck = ConcurrentCallers.run(64, 1_000_000, Duration.ofSeconds(60), (thread, i) -> {
			if (!changer.isAlive()) {
				throw new Done();
			}
			this.calls.send(broker, "c" + thread + "-" + i, Duration.ofSeconds(5));
		});
		stop.countDown();
		changer.join(5_000);

		assertThat(stuck).allSatisfy((failure) -> assertThat(failure).isInstanceOf(Done.class));
		assertThat(this.calls.successes()).as("requests answered").hasSizeGreaterThan(64 * 10);
		assertThat(this.calls.failures()).as("requests that failed").isEmpty();
		assertThat(closed.get()).as("connections of removed addresses closed").isPositive();
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	/** Ends a caller's loop once the address changes are over. */
	private static final class Done extends RuntimeException {

		Done() {
			super(null, null, false, false);
		}

	}

	@Test
	void whenAnAddressIsRemovedWithRequestsInFlightThenTheyGetTheirAnswersAndItsConnectionsCloseAfter()
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger connectionsOnSlow = new AtomicInteger();
		AnetServer slow = server((connection, request) -> {
			release.await(10, TimeUnit.SECONDS);
			return request;
		});
		AnetServer other = server((connection, request) -> request);
		PoolGroup pools = new PoolGroup(List.of(address(slow)), PoolConfig.builder().capacity(1).build(),
				PoolListener.NONE);
		Broker broker = new Broker(pools, BrokerConfig.defaults());
		this.resources.add(broker);
		List<CompletableFuture<Calls.Call>> held = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			held.add(this.calls.sendAsync(broker, "held-" + i, Duration.ofSeconds(10)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.handlersRunning() == 5);
		connectionsOnSlow.set(slow.activeConnections());

		pools.updateAddresses(List.of(address(other)));
		Calls.Call after = this.calls.send(broker, "after", Duration.ofSeconds(5));
		assertThat(slow.activeConnections()).as("the removed address keeps its busy connection").isEqualTo(1);
		release.countDown();

		for (CompletableFuture<Calls.Call> future : held) {
			assertThat(future.get(10, TimeUnit.SECONDS).failure()).isNull();
		}
		assertThat(after.failure()).isNull();
		assertThat(connectionsOnSlow.get()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.activeConnections() == 0);
		assertThat(pools.addresses()).containsExactly("127.0.0.1:" + other.port());
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	@Test
	void whenTheGroupIsClosedThenAddressesCannotChange() {
		AnetServer server = server((connection, request) -> request);
		PoolGroup pools = new PoolGroup(List.of(address(server)), PoolConfig.defaults(), PoolListener.NONE);
		pools.close();

		assertThatExceptionOfType(PoolClosedException.class)
			.isThrownBy(() -> pools.updateAddresses(List.of(address(server))));
	}

	@Test
	void whenOneAddressIsSlowThenLeastInFlightSendsItATenthOfRoundRobinsShare() throws Exception {
		double roundRobin = slowShare(Balancing.ROUND_ROBIN);
		double leastInFlight = slowShare(Balancing.LEAST_IN_FLIGHT);
		assertThat(leastInFlight).as("share of the slow address with least in flight (round robin: %s)", roundRobin)
			.isLessThan(roundRobin / 10);
	}

	/**
	 * The share of requests a 20 ms slower address got, of 32 callers × 100 requests over three
	 * addresses that each have a connection.
	 */
	private double slowShare(Balancing balancing) throws Exception {
		AtomicLongArray counts = new AtomicLongArray(3);
		List<InetSocketAddress> servers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			int index = i;
			servers.add(address(server((connection, request) -> {
				counts.incrementAndGet(index);
				if (index == 0) {
					TimeUnit.MILLISECONDS.sleep(20);
				}
				return request;
			})));
		}
		PoolGroup pools = new PoolGroup(servers, PoolConfig.builder().capacity(2).build(), PoolListener.NONE, balancing);
		// a connection to each address first: callers take idle connections and leave dialling to workers
		for (dev.anet.pool.ConnectionPool pool : pools.pools()) {
			pool.put(pool.get());
		}
		try (Broker broker = new Broker(pools, BrokerConfig.defaults())) {
			List<Throwable> failures = ConcurrentCallers.run(32, 100, Duration.ofSeconds(60), (thread, i) -> broker
				.send(("b" + thread + "-" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)));
			assertThat(failures).isEmpty();
		}
		long total = counts.get(0) + counts.get(1) + counts.get(2);
		return (double) counts.get(0) / total;
	}

}
