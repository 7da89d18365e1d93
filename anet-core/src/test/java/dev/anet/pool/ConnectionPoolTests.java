package dev.anet.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.AnetException;
import dev.anet.AnetTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConnectionPool} against a real loopback server.
 */
class ConnectionPoolTests {

	private static final PoolConfig NO_HOUSEKEEPING = PoolConfig.builder()
		.validationInterval(Duration.ZERO)
		.dialTimeout(Duration.ofSeconds(2))
		.build();

	private TestServer server;

	private final CountingListener listener = new CountingListener();

	private final List<ConnectionPool> pools = new ArrayList<>();

	private ExecutorService executor;

	@BeforeEach
	void startServer() throws IOException {
		this.server = TestServer.start();
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		this.pools.forEach(ConnectionPool::close);
		this.server.close();
	}

	private ConnectionPool pool(PoolConfig config) {
		ConnectionPool pool = new ConnectionPool(this.server.address(), config, this.listener);
		this.pools.add(pool);
		return pool;
	}

	private ConnectionPool pool(int capacity) {
		return pool(NO_HOUSEKEEPING.toBuilder().capacity(capacity).build());
	}

	@Test
	void whenHundredThreadsGetAndPutThenNoMoreThanCapacityAreHeldOrDialled() throws Exception {
		int capacity = 4;
		int threads = 100;
		int rounds = 20;
		ConnectionPool pool = pool(capacity);
		AtomicInteger held = new AtomicInteger();
		AtomicInteger maxHeld = new AtomicInteger();
		AtomicInteger maxTotal = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		this.executor = Executors.newFixedThreadPool(threads);
		List<Future<Integer>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			results.add(this.executor.submit(() -> {
				start.await();
				int done = 0;
				ByteBuffer one = ByteBuffer.allocate(1);
				for (int r = 0; r < rounds; r++) {
					AnetConnection connection = pool.get(Duration.ofSeconds(20));
					try {
						maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
						maxTotal.accumulateAndGet(pool.stats().total(), Math::max);
						one.clear();
						connection.channel().write(one);
						done++;
					}
					finally {
						held.decrementAndGet();
						pool.put(connection);
					}
				}
				return done;
			}));
		}
		start.countDown();

		int done = 0;
		for (Future<Integer> result : results) {
			done += result.get(30, TimeUnit.SECONDS);
		}

		assertThat(done).isEqualTo(threads * rounds);
		assertThat(maxHeld.get()).isBetween(1, capacity);
		assertThat(maxTotal.get()).isBetween(1, capacity);
		assertThat(this.listener.created.get()).isBetween(1, capacity);
		awaitAccepted(this.listener.created.get());
		assertThat(pool.stats()).satisfies((stats) -> {
			assertThat(stats.total()).isEqualTo(this.server.accepted());
			assertThat(stats.active()).isZero();
			assertThat(stats.pending()).isZero();
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.bytesReceived() == threads * rounds);
	}

	@Test
	void whenPoolIsFullThenGetTimesOutWithPoolState() throws Exception {
		ConnectionPool pool = pool(2);
		AnetConnection first = pool.get();
		pool.get();
		this.executor = Executors.newSingleThreadExecutor();
		Future<AnetConnection> otherWaiter = this.executor.submit(() -> pool.get(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

		long start = System.nanoTime();
		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> pool.get(Duration.ofMillis(300)))
			.withMessageStartingWith("Pool " + Addresses.format(this.server.address())
					+ " - connection is not available, request timed out after ")
			.withMessageContaining("(total=2, active=2, idle=0, waiting=1, max=2)");
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		assertThat(elapsedMillis).isBetween(300L, 2000L);
		pool.put(first);
		assertThat(otherWaiter.get(5, TimeUnit.SECONDS).id()).isEqualTo(first.id());
	}

	@Test
	void whenPoolIsFullThenGetWithZeroTimeoutFailsAtOnce() {
		ConnectionPool pool = pool(1);
		pool.get();

		long start = System.nanoTime();
		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> pool.get(Duration.ZERO))
			.withMessageContaining("total=1, active=1, idle=0, waiting=0");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
		assertThat(pool.tryGet()).isNull();
	}

	@Test
	void whenTheCallerIsInterruptedThenItsDialDoesNotMarkTheAddressDown() {
		ConnectionPool pool = pool(1);
		long before = System.nanoTime();

		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(AnetException.class).isThrownBy(pool::get)
				.isNotInstanceOf(AnetTimeoutException.class)
				.withMessage("Interrupted while dialling " + Addresses.format(this.server.address()));
			assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
		}
		finally {
			Thread.interrupted();
		}

		assertThat(pool.isDown(before)).isFalse();
		assertThat(pool.lastError()).isNull();
		assertThat(this.listener.dialFailures).isEmpty();
		assertThat(pool.stats().total()).isZero();
		assertThat(pool.get(Duration.ofMillis(500)).isUsable()).isTrue();
	}

	@Test
	void whenTheTimeoutIsTooLongForNanosecondsThenGetWaitsWithoutLimit() throws Exception {
		ConnectionPool pool = pool(1);
		AnetConnection held = pool.get(Duration.ofSeconds(Long.MAX_VALUE));
		CompletableFuture<AnetConnection> waiter = CompletableFuture
			.supplyAsync(() -> pool.get(Duration.ofSeconds(Long.MAX_VALUE)));
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1 || waiter.isDone());

		pool.put(held);

		assertThat(waiter.get(5, TimeUnit.SECONDS).id()).isEqualTo(held.id());
	}

	@Test
	void whenAConnectionIsPutBackThenTheNextGetReusesItWithoutDialling() {
		ConnectionPool pool = pool(4);
		AnetConnection connection = pool.get();
		pool.put(connection);

		assertThat(pool.stats()).satisfies((stats) -> {
			assertThat(stats.total()).isEqualTo(1);
			assertThat(stats.idle()).isEqualTo(1);
			assertThat(stats.active()).isZero();
		});
		assertThat(pool.get().id()).isEqualTo(connection.id());
		awaitAccepted(1);
		assertThat(this.listener.created.get()).isEqualTo(1);
		assertThat(this.listener.acquired.get()).isEqualTo(2);
	}

	@Test
	void whenCloseRacesConcurrentPutsAndGetsThenEveryConnectionIsClosedExactlyOnce() throws Exception {
		int capacity = 8;
		this.executor = Executors.newFixedThreadPool(2 * capacity);
		for (int round = 0; round < 10; round++) {
			CountingListener counting = new CountingListener();
			ConnectionPool pool = new ConnectionPool(this.server.address(),
					NO_HOUSEKEEPING.toBuilder().capacity(capacity).build(), counting);
			this.pools.add(pool);
			List<AnetConnection> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
			for (int i = 0; i < capacity / 2; i++) {
				seen.add(pool.get());
			}
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> tasks = new ArrayList<>();
			for (AnetConnection connection : List.copyOf(seen)) {
				tasks.add(this.executor.submit(() -> {
					go.await();
					pool.put(connection);
					return null;
				}));
			}
			for (int i = 0; i < capacity / 2; i++) {
				tasks.add(this.executor.submit(() -> {
					go.await();
					for (int n = 0; n < 1000; n++) {
						AnetConnection connection;
						try {
							connection = pool.get(Duration.ofSeconds(5));
						}
						catch (PoolClosedException ex) {
							return null;
						}
						seen.add(connection);
						pool.put(connection);
					}
					return null;
				}));
			}
			go.countDown();
			pool.close();
			for (Future<?> task : tasks) {
				task.get(10, TimeUnit.SECONDS);
			}

			int round0 = round;
			assertThat(counting.created.get()).as("round %d created", round0).isPositive();
			assertThat(counting.closed.get()).as("round %d closed", round0).isEqualTo(counting.created.get());
			assertThat(seen).allSatisfy((connection) -> {
				assertThat(connection.isClosed()).isTrue();
				assertThat(connection.channel().isOpen()).isFalse();
			});
			assertThat(pool.stats().total()).isZero();
			assertThat(pool.stats().idle()).isZero();
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.server.peers()).allMatch(TestServer.Peer::sawEndOfStream));
	}

	@Test
	void whenClosedTwiceThenTheSecondCloseDoesNothing() {
		ConnectionPool pool = pool(2);
		pool.put(pool.get());

		pool.close();
		pool.close();

		assertThat(pool.isClosed()).isTrue();
		assertThat(this.listener.created.get()).isEqualTo(1);
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenClosedThenGetAndTryGetFailWithPoolClosed() {
		ConnectionPool pool = pool(2);
		pool.close();

		assertThatExceptionOfType(PoolClosedException.class).isThrownBy(pool::get)
			.withMessage("Pool " + Addresses.format(this.server.address()) + " is closed");
		assertThatExceptionOfType(PoolClosedException.class).isThrownBy(pool::tryGet);
		assertThat(pool.pollIdleConnection()).isNull();
		assertThat(this.listener.created.get()).isZero();
	}

	@Test
	void whenClosedThenWaitingGettersFailAtOnceWithPoolClosed() throws Exception {
		ConnectionPool pool = pool(1);
		AnetConnection held = pool.get();
		this.executor = Executors.newSingleThreadExecutor();
		Future<AnetConnection> waiter = this.executor.submit(() -> pool.get(Duration.ofSeconds(30)));
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

		pool.close();

		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> waiter.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(PoolClosedException.class);
		assertThat(held.isClosed()).isTrue();
		pool.put(held);
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenAConnectionIsReleasedThenItIsClosedAndForgotten() throws Exception {
		ConnectionPool pool = pool(1);
		AnetConnection connection = pool.get();

		pool.release(connection);

		assertThat(connection.channel().isOpen()).isFalse();
		assertThat(pool.stats().total()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
		awaitAccepted(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.peers().get(0).sawEndOfStream());
		AnetConnection next = pool.get(Duration.ofMillis(500));
		assertThat(next.id()).isNotEqualTo(connection.id());
		awaitAccepted(2);
		pool.release(connection);
		assertThat(pool.stats().total()).isEqualTo(1);
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenAnIdleConnectionIsReleasedThenItLeavesTheIdleSet() {
		ConnectionPool pool = pool(2);
		AnetConnection connection = pool.get();
		pool.put(connection);

		pool.release(connection);

		assertThat(pool.stats().total()).isZero();
		assertThat(pool.stats().idle()).isZero();
		assertThat(pool.get().id()).isNotEqualTo(connection.id());
	}

	@Test
	void whenAFailedConnectionIsPutBackThenItIsDroppedAndItsFailureKept() {
		ConnectionPool pool = pool(1);
		AnetConnection connection = pool.get();
		IOException failure = new IOException("reader saw end of stream");

		connection.fail(failure);
		pool.put(connection);

		assertThat(connection.isUsable()).isFalse();
		assertThat(connection.channel().isOpen()).isFalse();
		assertThat(pool.stats().total()).isZero();
		assertThat(pool.stats().idle()).isZero();
		assertThat(pool.lastError()).isSameAs(failure);
		assertThat(pool.stats().lastError()).isEqualTo("java.io.IOException: reader saw end of stream");
		assertThat(this.listener.closed.get()).isEqualTo(1);
		assertThat(pool.get(Duration.ofMillis(500)).id()).isNotEqualTo(connection.id());
	}

	@Test
	void whenAConnectionIsPutBackTwiceThenItIsIdleOnce() {
		ConnectionPool pool = pool(2);
		AnetConnection connection = pool.get();

		pool.put(connection);
		pool.put(connection);

		assertThat(pool.stats().idle()).isEqualTo(1);
		assertThat(pool.get().id()).isEqualTo(connection.id());
		assertThat(pool.get().id()).isNotEqualTo(connection.id());
	}

	@Test
	void whenAConnectionOfAnotherPoolIsPutThenItIsRefused() {
		ConnectionPool pool = pool(1);
		ConnectionPool other = pool(1);
		AnetConnection connection = other.get();

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> pool.put(connection))
			.withMessageContaining("does not belong to pool");
	}

	@Test
	void whenATenantReportsSaturatedThenTheConnectionIsKeptBackUntilSlotFreed() {
		ConnectionPool pool = pool(1);
		AnetConnection connection = pool.get();
		AtomicBoolean saturated = new AtomicBoolean(true);
		connection.attach(tenant(saturated, new AtomicBoolean(true)));

		pool.put(connection);

		assertThat(pool.stats()).satisfies((stats) -> {
			assertThat(stats.active()).isEqualTo(1);
			assertThat(stats.idle()).isZero();
		});
		assertThat(pool.pollIdleConnection()).isNull();
		assertThatExceptionOfType(AnetTimeoutException.class).isThrownBy(() -> pool.get(Duration.ofMillis(100)));

		pool.slotFreed(connection);
		assertThat(pool.stats().idle()).as("still saturated").isZero();

		saturated.set(false);
		pool.slotFreed(connection);
		assertThat(pool.stats().idle()).isEqualTo(1);
		assertThat(pool.get(Duration.ofMillis(100)).id()).isEqualTo(connection.id());
		assertThat(this.listener.created.get()).isEqualTo(1);
	}

	@Test
	void whenAKeptBackConnectionFailsThenReleaseForgetsIt() {
		ConnectionPool pool = pool(1);
		AnetConnection connection = pool.get();
		connection.attach(tenant(new AtomicBoolean(true), new AtomicBoolean(true)));
		pool.put(connection);

		pool.release(connection);

		assertThat(pool.stats().total()).isZero();
		assertThat(connection.isClosed()).isTrue();
		assertThat(pool.get(Duration.ofMillis(500)).id()).isNotEqualTo(connection.id());
	}

	@Test
	void whenAWaiterIsBlockedThenAPutHandsItTheConnectionBeforeItsDeadline() throws Exception {
		ConnectionPool pool = pool(1);
		AnetConnection connection = pool.get();
		CompletableFuture<AnetConnection> waiter = CompletableFuture.supplyAsync(() -> pool.get(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().pending() == 1);

		pool.put(connection);

		assertThat(waiter.get(2, TimeUnit.SECONDS).id()).isEqualTo(connection.id());
	}

	/** Wait until the server has accepted exactly this many connections (its accept thread runs apart). */
	private void awaitAccepted(int expected) {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.accepted() >= expected);
		assertThat(this.server.accepted()).isEqualTo(expected);
	}

	static AnetConnection.Tenant tenant(AtomicBoolean saturated, AtomicBoolean busy) {
		return new AnetConnection.Tenant() {

			@Override
			public boolean saturated() {
				return saturated.get();
			}

			@Override
			public boolean busy() {
				return busy.get();
			}

			@Override
			public int inFlight() {
				return busy.get() ? 1 : 0;
			}

			@Override
			public void retire() {
			}

		};
	}

}
