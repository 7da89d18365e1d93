package dev.anet.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.anet.pool.TestServer.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Housekeeping of idle connections: idle eviction and the validation strategies. Most tests turn
 * the timer off ({@code validationInterval} 0) and drive {@link PoolGroup#housekeep()} directly.
 */
class PoolValidationTests {

	private static final PoolConfig MANUAL = PoolConfig.builder()
		.capacity(2)
		.validationInterval(Duration.ZERO)
		.validationTimeout(Duration.ofMillis(100))
		.idleTimeout(Duration.ofMinutes(5))
		.build();

	private TestServer server;

	private PoolGroup group;

	private final CountingListener listener = new CountingListener();

	@BeforeEach
	void startServer() throws IOException {
		this.server = TestServer.start();
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.group != null) {
			this.group.close();
		}
		this.server.close();
	}

	private PoolGroup group(PoolConfig config) {
		this.group = new PoolGroup(List.of(this.server.address()), config, this.listener);
		return this.group;
	}

	private ConnectionPool pool() {
		return this.group.pools().get(0);
	}

	/** Get a connection and give it back, once the server has accepted it. */
	private AnetConnection idleConnection() throws IOException {
		AnetConnection connection = this.group.get();
		this.group.put(connection);
		peerOf(connection);
		return connection;
	}

	/** The server's side of an open connection, once the server has accepted it. */
	private Peer peerOf(AnetConnection connection) throws IOException {
		int port = ((InetSocketAddress) connection.channel().getLocalAddress()).getPort();
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> this.server.peers().stream().filter((p) -> p.clientPort() == port).findFirst().orElse(null),
					Objects::nonNull);
	}

	@ParameterizedTest
	@EnumSource(ValidationStrategy.class)
	void whenAConnectionStaysIdleLongerThanIdleTimeoutThenTheHousekeeperClosesIt(ValidationStrategy strategy)
			throws Exception {
		group(PoolConfig.builder()
			.idleTimeout(Duration.ofMillis(100))
			.validationInterval(Duration.ofMillis(50))
			.validationTimeout(Duration.ofMillis(50))
			.validationStrategy(strategy)
			.build());
		AnetConnection connection = this.group.get();
		Peer peer = peerOf(connection);
		long idleSince = System.nanoTime();
		this.group.put(connection);

		await().atMost(Duration.ofSeconds(3)).until(peer::sawEndOfStream);

		assertThat(TimeUnit.NANOSECONDS.toMillis(peer.endOfStreamNanos() - idleSince)).isGreaterThanOrEqualTo(100);
		assertThat(connection.isClosed()).isTrue();
		assertThat(pool().stats()).satisfies((stats) -> {
			assertThat(stats.total()).isZero();
			assertThat(stats.idle()).isZero();
		});
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenAConnectionIsHandedOutThenItIsNeverEvictedHoweverLongItIsHeld() {
		group(MANUAL.toBuilder().idleTimeout(Duration.ofMillis(1)).build());
		AnetConnection connection = this.group.get();
		long heldSince = System.nanoTime();
		await().atMost(Duration.ofSeconds(1)).until(() -> System.nanoTime() - heldSince > 10_000_000);

		this.group.housekeep();

		assertThat(connection.isClosed()).isFalse();
		assertThat(pool().stats().active()).isEqualTo(1);
	}

	@Test
	void whenStrategyIsNoneThenAConnectionWhosePeerClosedIsKeptUntilUsed() throws Exception {
		group(MANUAL.toBuilder().validationStrategy(ValidationStrategy.NONE).build());
		AnetConnection connection = idleConnection();
		peerOf(connection).close();

		this.group.housekeep();

		assertThat(pool().stats().idle()).isEqualTo(1);
		assertThat(this.listener.closed.get()).isZero();
		AnetConnection again = this.group.get();
		assertThat(again.id()).isEqualTo(connection.id());
		// its user finds out on use, and fails it
		assertThat(again.channel().read(ByteBuffer.allocate(1))).isEqualTo(-1);
		again.fail(new IOException("end of stream"));
		this.group.put(again);
		assertThat(pool().stats().total()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(value = ValidationStrategy.class, names = { "PING", "READ" })
	void whenThePeerClosedAnIdleConnectionThenValidationDropsIt(ValidationStrategy strategy) throws Exception {
		group(MANUAL.toBuilder().validationStrategy(strategy).maxValidationAttempts(1).build());
		AnetConnection connection = idleConnection();
		peerOf(connection).close();

		// PING does not wait: run the housekeeping until the end of stream has reached the client
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.group.housekeep();
			return pool().stats().total() == 0;
		});

		assertThat(connection.isClosed()).isTrue();
		assertThat(pool().stats().idle()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
		assertThat(this.group.get().id()).isNotEqualTo(connection.id());
	}

	@Test
	void whenReadValidationRunsAfterThePeerClosedThenOnePassDropsTheConnection() throws Exception {
		group(MANUAL.toBuilder().validationStrategy(ValidationStrategy.READ).build());
		AnetConnection connection = idleConnection();
		peerOf(connection).close();

		this.group.housekeep();

		assertThat(connection.isClosed()).isTrue();
		assertThat(pool().stats().total()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(value = ValidationStrategy.class, names = { "PING", "READ" })
	void whenThePeerResetAnIdleConnectionThenValidationDropsIt(ValidationStrategy strategy) throws Exception {
		group(MANUAL.toBuilder().validationStrategy(strategy).maxValidationAttempts(3).build());
		AnetConnection connection = idleConnection();
		peerOf(connection).reset();

		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.group.housekeep();
			return pool().stats().total() == 0;
		});

		assertThat(connection.isClosed()).isTrue();
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(value = ValidationStrategy.class, names = { "PING", "READ" })
	void whenAnIdleConnectionIsHealthyThenValidationKeepsIt(ValidationStrategy strategy) throws Exception {
		group(MANUAL.toBuilder().validationStrategy(strategy).build());
		AnetConnection connection = idleConnection();

		for (int i = 0; i < 3; i++) {
			this.group.housekeep();
		}

		assertThat(connection.isUsable()).isTrue();
		assertThat(pool().stats().idle()).isEqualTo(1);
		assertThat(this.listener.closed.get()).isZero();
		assertThat(peerOf(connection).sawEndOfStream()).isFalse();
		assertThat(this.group.get().id()).isEqualTo(connection.id());
	}

	@ParameterizedTest
	@EnumSource(value = ValidationStrategy.class, names = { "PING", "READ" })
	void whenAnIdleConnectionReceivedBytesNobodyAskedForThenValidationDropsItWhateverTheAttemptsLeft(
			ValidationStrategy strategy) throws Exception {
		group(MANUAL.toBuilder().validationStrategy(strategy).maxValidationAttempts(3).build());
		AnetConnection connection = idleConnection();
		peerOf(connection).send(new byte[] { 1, 2 });

		// the bytes must have arrived before the (non-blocking) PING looks
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.group.housekeep();
			return pool().stats().total() == 0;
		});

		assertThat(connection.isClosed()).isTrue();
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenReadValidationFindsAHealthyConnectionThenItProbesOnceNotMaxValidationAttemptsTimes() throws Exception {
		group(MANUAL.toBuilder()
			.validationStrategy(ValidationStrategy.READ)
			.validationTimeout(Duration.ofMillis(200))
			.maxValidationAttempts(10)
			.build());
		AnetConnection connection = idleConnection();

		long start = System.nanoTime();
		this.group.housekeep();
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		// one READ probe waits validationTimeout; ten would wait 2 s
		assertThat(millis).isBetween(150L, 1500L);
		assertThat(pool().stats().idle()).isEqualTo(1);
		assertThat(connection.isUsable()).isTrue();
	}

	@Test
	void whenReadValidationRunsThenTheOtherIdleConnectionsStayAvailable() throws Exception {
		group(MANUAL.toBuilder()
			.validationStrategy(ValidationStrategy.READ)
			.validationTimeout(Duration.ofSeconds(2))
			.build());
		AnetConnection first = this.group.get();
		AnetConnection second = this.group.get();
		this.group.put(first);
		this.group.put(second);
		CompletableFuture<Void> housekeeping = CompletableFuture.runAsync(this.group::housekeep);
		await().atMost(Duration.ofSeconds(5)).until(() -> pool().stats().idle() < 2);

		long start = System.nanoTime();
		AnetConnection taken = pool().get(Duration.ofMillis(1800));

		// the check under way lasts 2 s: a caller served well before that did not wait for it
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
		assertThat(taken.id()).isIn(first.id(), second.id());
		// a connection handed out while the pass runs is not checked by it
		housekeeping.get(10, TimeUnit.SECONDS);
		assertThat(pool().stats().idle()).isEqualTo(1);
		this.group.put(taken);
		assertThat(pool().stats().idle()).isEqualTo(2);
		assertThat(this.listener.closed.get()).isZero();
	}

	@Test
	void whenATenantIsAttachedThenValidationNeverProbesTheConnection() throws Exception {
		group(MANUAL.toBuilder().validationStrategy(ValidationStrategy.READ).build());
		AnetConnection connection = this.group.get();
		connection.attach(ConnectionPoolTests.tenant(new AtomicBoolean(false), new AtomicBoolean(false)));
		this.group.put(connection);
		peerOf(connection).send("abc".getBytes());

		this.group.housekeep();
		this.group.housekeep();

		assertThat(pool().stats().idle()).isEqualTo(1);
		assertThat(this.listener.closed.get()).isZero();
		// the bytes are still there for the tenant: no probe read any of them
		AnetConnection again = this.group.get();
		ByteBuffer buffer = ByteBuffer.allocate(3);
		for (int i = 0; i < 3 && buffer.hasRemaining(); i++) {
			again.channel().read(buffer);
		}
		assertThat(new String(buffer.array())).isEqualTo("abc");
	}

	@Test
	void whenATenantIsBusyThenTheIdleConnectionIsNotEvicted() {
		group(MANUAL.toBuilder().idleTimeout(Duration.ofMillis(1)).build());
		AnetConnection connection = this.group.get();
		AtomicBoolean busy = new AtomicBoolean(true);
		connection.attach(ConnectionPoolTests.tenant(new AtomicBoolean(false), busy));
		this.group.put(connection);
		long since = System.nanoTime();
		await().atMost(Duration.ofSeconds(1)).until(() -> System.nanoTime() - since > 10_000_000);

		this.group.housekeep();
		assertThat(connection.isClosed()).isFalse();
		assertThat(pool().stats().idle()).isEqualTo(1);

		busy.set(false);
		this.group.housekeep();
		assertThat(connection.isClosed()).isTrue();
		assertThat(pool().stats().total()).isZero();
	}

	@Test
	void whenAKeptBackConnectionFailsThenHousekeepingDropsIt() {
		group(MANUAL);
		AnetConnection connection = this.group.get();
		connection.attach(ConnectionPoolTests.tenant(new AtomicBoolean(true), new AtomicBoolean(true)));
		this.group.put(connection);
		assertThat(pool().stats().active()).isEqualTo(1);

		connection.fail(new IOException("reader saw end of stream"));
		this.group.housekeep();

		assertThat(pool().stats().total()).isZero();
		assertThat(this.listener.closed.get()).isEqualTo(1);
	}

	@Test
	void whenTheTimerRunsThenAConnectionWhosePeerClosedIsDroppedAndAHealthyOneKept() throws Exception {
		group(MANUAL.toBuilder()
			.validationInterval(Duration.ofMillis(50))
			.validationStrategy(ValidationStrategy.READ)
			.validationTimeout(Duration.ofMillis(50))
			.build());
		AnetConnection doomed = this.group.get();
		AnetConnection healthy = this.group.get();
		Peer doomedPeer = peerOf(doomed);
		Peer healthyPeer = peerOf(healthy);
		this.group.put(doomed);
		this.group.put(healthy);

		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("anet-pool-housekeeper");
		doomedPeer.close();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.closed.get() == 1);
		assertThat(doomed.isClosed()).isTrue();
		assertThat(healthy.isClosed()).isFalse();
		assertThat(healthyPeer.sawEndOfStream()).isFalse();
		assertThat(pool().stats().total()).isEqualTo(1);
	}

}
