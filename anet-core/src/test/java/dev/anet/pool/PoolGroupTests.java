package dev.anet.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.AnetTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link PoolGroup}: round-robin over several addresses, failover, and coming back to an address
 * once it is up again.
 */
class PoolGroupTests {

	private static final PoolConfig CONFIG = PoolConfig.builder()
		.capacity(4)
		.validationInterval(Duration.ZERO)
		.dialTimeout(Duration.ofSeconds(5))
		.build();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final CountingListener listener = new CountingListener();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private TestServer server() throws IOException {
		TestServer server = TestServer.start();
		this.resources.add(server);
		return server;
	}

	private PoolGroup group(PoolConfig config, InetSocketAddress... addresses) {
		PoolGroup group = new PoolGroup(List.of(addresses), config, this.listener);
		this.resources.add(group);
		return group;
	}

	@Test
	void whenOneAddressIsDeadThenRequestsSucceedThroughTheLiveOne() throws Exception {
		InetSocketAddress dead = TestServer.loopback(TestServer.deadPort());
		TestServer live = server();
		PoolGroup group = group(CONFIG, dead, live.address());

		long beforeFirstGet = System.nanoTime();
		for (int i = 0; i < 10; i++) {
			AnetConnection connection = group.get();
			assertThat(connection.address()).isEqualTo(live.address());
			group.put(connection);
		}

		ConnectionPool deadPool = group.pools().get(0);
		assertThat(deadPool.isDown(beforeFirstGet)).isTrue();
		assertThat(group.stats().get(0)).satisfies((stats) -> {
			assertThat(stats.address()).isEqualTo(dead);
			assertThat(stats.total()).isZero();
			assertThat(stats.lastError()).startsWith("java.net.ConnectException");
		});
		assertThat(group.stats().get(1)).satisfies((stats) -> {
			assertThat(stats.down()).isFalse();
			assertThat(stats.lastError()).isNull();
			assertThat(stats.total()).isEqualTo(1);
		});
		assertThat(this.listener.dialFailures).isNotEmpty();
		assertThat(this.listener.created.get()).isEqualTo(1);
	}

	@Test
	void whenOneAddressIsDeadThenItsStatsShowItDown() throws Exception {
		InetSocketAddress dead = TestServer.loopback(TestServer.deadPort());
		TestServer live = server();
		PoolGroup group = group(CONFIG, dead, live.address());

		// the back-off is short (100 ms after the first failure): keep sending until a snapshot sees it
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			group.put(group.get());
			return group.stats().get(0).down();
		});

		assertThat(group.stats().get(0).lastError()).contains("Connection refused");
	}

	@Test
	void whenEveryAddressIsDeadThenGetFailsAtOnceNamingEveryAddress() throws Exception {
		InetSocketAddress first = TestServer.loopback(TestServer.deadPort());
		InetSocketAddress second = TestServer.loopback(TestServer.deadPort());
		PoolGroup group = group(CONFIG, first, second);

		for (int attempt = 0; attempt < 2; attempt++) {
			long start = System.nanoTime();
			assertThatExceptionOfType(NoPoolsAvailableException.class).isThrownBy(group::get)
				.withMessageStartingWith("No anet address is available: all 2 are down [")
				.withMessageContaining(Addresses.format(first) + " (retry in ")
				.withMessageContaining(Addresses.format(second) + " (retry in ")
				.withMessageContaining("Connection refused")
				.withCauseInstanceOf(java.net.ConnectException.class);
			// dialTimeout is 5 s: failing at once means well under it
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
		}
		assertThat(group.stats()).allSatisfy((stats) -> {
			assertThat(stats.total()).isZero();
			assertThat(stats.lastError()).isNotNull();
		});
	}

	@Test
	void whenADeadAddressComesBackThenTheGroupReturnsToItByItself() throws Exception {
		int port = TestServer.deadPort();
		InetSocketAddress dead = TestServer.loopback(port);
		TestServer live = server();
		PoolGroup group = group(CONFIG, dead, live.address());
		long beforeFirstGet = System.nanoTime();
		for (int i = 0; i < 4; i++) {
			group.put(group.get());
		}
		assertThat(group.pools().get(0).isDown(beforeFirstGet)).isTrue();

		TestServer revived = TestServer.startOn(port);
		this.resources.add(revived);

		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<AnetConnection> held = List.of(group.get(), group.get());
			held.forEach(group::put);
			return revived.accepted() > 0;
		});
		assertThat(group.stats().get(0)).satisfies((stats) -> {
			assertThat(stats.down()).isFalse();
			assertThat(stats.total()).isPositive();
		});
		AnetConnection connection = group.pools().get(0).get();
		assertThat(connection.address()).isEqualTo(dead);
		group.put(connection);
	}

	@Test
	void whenTwoAddressesAreLiveThenNewConnectionsAreSpreadRoundRobin() throws Exception {
		TestServer first = server();
		TestServer second = server();
		PoolGroup group = group(CONFIG, first.address(), second.address());

		List<AnetConnection> held = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			held.add(group.get());
		}

		assertThat(held).extracting(AnetConnection::address)
			.containsExactly(first.address(), second.address(), first.address(), second.address(), first.address(),
					second.address());
		await().atMost(Duration.ofSeconds(5)).until(() -> first.accepted() == 3 && second.accepted() == 3);
		held.forEach(group::put);
		assertThat(group.stats()).extracting(PoolStats::idle).containsExactly(3, 3);
	}

	@Test
	void whenConnectionsArePutBackThenGetsAlternateBetweenAddresses() throws Exception {
		TestServer first = server();
		TestServer second = server();
		PoolGroup group = group(CONFIG, first.address(), second.address());

		List<InetSocketAddress> used = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			AnetConnection connection = group.get();
			used.add(connection.address());
			group.put(connection);
		}

		assertThat(used).filteredOn(first.address()::equals).hasSize(5);
		assertThat(used).filteredOn(second.address()::equals).hasSize(5);
		assertThat(this.listener.created.get()).isEqualTo(2);
	}

	@Test
	void whenEveryPoolIsFullThenGetWaitsForAPutUntilItsDeadline() throws Exception {
		TestServer server = server();
		PoolGroup group = group(CONFIG.toBuilder().capacity(1).build(), server.address());
		AnetConnection held = group.get();

		long start = System.nanoTime();
		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> group.get(Duration.ofMillis(200)))
			.withMessageContaining("total=1, active=1, idle=0");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 2000L);

		CompletableFuture<AnetConnection> waiter = CompletableFuture.supplyAsync(() -> group.get(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(5)).until(() -> group.stats().get(0).pending() == 1);
		group.put(held);
		assertThat(waiter.get(5, TimeUnit.SECONDS).id()).isEqualTo(held.id());
	}

	@Test
	void whenTheTimeoutIsTooLongForNanosecondsThenGroupGetWaitsWithoutLimit() throws Exception {
		TestServer server = server();
		PoolGroup group = group(CONFIG.toBuilder().capacity(1).build(), server.address());
		AnetConnection held = group.get(Duration.ofSeconds(Long.MAX_VALUE));
		CompletableFuture<AnetConnection> waiter = CompletableFuture
			.supplyAsync(() -> group.get(Duration.ofSeconds(Long.MAX_VALUE)));
		await().atMost(Duration.ofSeconds(5)).until(() -> group.stats().get(0).pending() == 1 || waiter.isDone());

		group.put(held);

		assertThat(waiter.get(5, TimeUnit.SECONDS).id()).isEqualTo(held.id());
	}

	@Test
	void whenOnlyIdleConnectionsAreWantedThenAcquireNeitherDialsNorWaits() throws Exception {
		TestServer server = server();
		PoolGroup group = group(CONFIG, server.address());

		assertThat(group.acquire(true)).isNull();
		assertThat(this.listener.created.get()).isZero();

		AnetConnection connection = group.get();
		group.put(connection);
		assertThat(group.acquire(true).id()).isEqualTo(connection.id());
	}

	@Test
	void whenTheGroupIsClosedThenEveryConnectionIsClosedOnceAndGetFails() throws Exception {
		TestServer first = server();
		TestServer second = server();
		PoolGroup group = group(CONFIG, first.address(), second.address());
		AnetConnection held = group.get();
		AnetConnection idle = group.get();
		group.put(idle);

		group.close();
		group.close();

		assertThat(group.isClosed()).isTrue();
		assertThat(held.isClosed()).isTrue();
		assertThat(idle.isClosed()).isTrue();
		assertThat(this.listener.closed.get()).isEqualTo(2).isEqualTo(this.listener.created.get());
		assertThat(group.pools()).allMatch(ConnectionPool::isClosed);
		assertThatExceptionOfType(PoolClosedException.class).isThrownBy(group::get)
			.withMessageContaining(Addresses.format(first.address()))
			.withMessageContaining(Addresses.format(second.address()));
		group.put(held);
		assertThat(this.listener.closed.get()).isEqualTo(2);
	}

	@Test
	void whenBuiltFromTextThenEveryAddressGetsAPoolInOrder() throws Exception {
		PoolGroup group = PoolGroup.of(List.of("127.0.0.1:9001", " localhost:9002 "), CONFIG);
		this.resources.add(group);

		assertThat(group.stats()).extracting((stats) -> stats.address().getPort()).containsExactly(9001, 9002);
		assertThat(group.stats()).allSatisfy((stats) -> {
			assertThat(stats.max()).isEqualTo(4);
			assertThat(stats.total()).isZero();
			assertThat(stats.down()).isFalse();
		});
		assertThat(group.config()).isSameAs(CONFIG);
	}

	@Test
	void whenThereIsNoAddressThenTheGroupIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PoolGroup.of(List.of(), CONFIG))
			.withMessage("addresses must name at least one host:port but was empty");
	}

	@Test
	void whenAnAddressAnswersSlowerThenLeastInFlightPrefersTheOtherAtEqualCounts() throws Exception {
		TestServer slow = server();
		TestServer fast = server();
		PoolGroup group = new PoolGroup(List.of(slow.address(), fast.address()), CONFIG, this.listener,
				Balancing.LEAST_IN_FLIGHT);
		this.resources.add(group);
		for (ConnectionPool pool : group.pools()) {
			pool.put(pool.get());
		}
		long now = System.nanoTime();
		group.pools().get(0).answered(now, TimeUnit.MILLISECONDS.toNanos(20));
		group.pools().get(1).answered(now, TimeUnit.MILLISECONDS.toNanos(1));

		for (int i = 0; i < 50; i++) {
			AnetConnection connection = group.acquire(true);
			assertThat(connection).isNotNull();
			assertThat(connection.address()).as("acquire %d", i).isEqualTo(fast.address());
			group.put(connection);
		}
	}

	@Test
	void whenNoAnswerTimeIsKnownThenLeastInFlightUsesBothAddresses() throws Exception {
		TestServer first = server();
		TestServer second = server();
		PoolGroup group = new PoolGroup(List.of(first.address(), second.address()), CONFIG, this.listener,
				Balancing.LEAST_IN_FLIGHT);
		this.resources.add(group);
		for (ConnectionPool pool : group.pools()) {
			pool.put(pool.get());
		}
		// only one address has a known time: the counts (both 0) decide, and ties go either way
		group.pools().get(0).answered(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20));

		java.util.Set<InetSocketAddress> seen = new java.util.HashSet<>();
		for (int i = 0; i < 200 && seen.size() < 2; i++) {
			AnetConnection connection = group.acquire(true);
			assertThat(connection).isNotNull();
			seen.add(connection.address());
			group.put(connection);
		}
		assertThat(seen).containsExactlyInAnyOrder(first.address(), second.address());
	}

}
