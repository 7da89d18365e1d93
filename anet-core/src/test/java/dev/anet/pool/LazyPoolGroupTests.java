package dev.anet.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PoolGroup#lazy}: the addresses are asked for when the group first needs a connection.
 */
class LazyPoolGroupTests {

	private static final PoolConfig CONFIG = PoolConfig.builder().capacity(2).validationInterval(Duration.ZERO).build();

	private final AtomicInteger resolutions = new AtomicInteger();

	private final AtomicReference<InetSocketAddress> address = new AtomicReference<>();

	private final PoolGroup group = PoolGroup.lazy(this::resolve, CONFIG, PoolListener.NONE);

	private TestServer server;

	@AfterEach
	void cleanUp() throws Exception {
		this.group.close();
		if (this.server != null) {
			this.server.close();
		}
	}

	private List<InetSocketAddress> resolve() {
		this.resolutions.incrementAndGet();
		InetSocketAddress address = this.address.get();
		if (address == null) {
			throw new IllegalStateException("port not known yet");
		}
		return List.of(address);
	}

	@Test
	void whenNoConnectionWasNeededThenTheAddressesAreNotAskedFor() {
		assertThat(this.group.isResolved()).isFalse();
		assertThat(this.group.pools()).isEmpty();
		assertThat(this.group.stats()).isEmpty();
		this.group.housekeep();
		assertThat(this.resolutions).hasValue(0);
	}

	@Test
	void whenTheFirstConnectionIsNeededThenTheAddressKnownByThenIsDialled() throws IOException {
		this.server = TestServer.start();
		this.address.set(this.server.address());

		AnetConnection connection = this.group.get();

		assertThat(connection.address()).isEqualTo(this.server.address());
		assertThat(this.group.isResolved()).isTrue();
		assertThat(this.group.stats()).singleElement().satisfies((stats) -> assertThat(stats.total()).isEqualTo(1));
		this.group.put(connection);
		this.group.put(this.group.get());
		assertThat(this.resolutions).hasValue(1);
	}

	@Test
	void whenResolutionFailsThenThatRequestFailsAndTheNextOneAsksAgain() throws IOException {
		assertThatExceptionOfType(NoPoolsAvailableException.class).isThrownBy(() -> this.group.acquire(false))
			.withMessageContaining("could not be resolved: port not known yet")
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.group.isResolved()).isFalse();

		this.server = TestServer.start();
		this.address.set(this.server.address());
		this.group.put(this.group.get());

		assertThat(this.resolutions).hasValue(2);
	}

	@Test
	void whenManyCallersNeedTheFirstConnectionAtOnceThenTheAddressesAreAskedForOnce() throws Exception {
		this.server = TestServer.start();
		this.address.set(this.server.address());
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<InetSocketAddress>> callers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			callers.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				AnetConnection connection = this.group.get(Duration.ofSeconds(5));
				this.group.put(connection);
				return connection.address();
			}));
		}
		start.countDown();
		for (CompletableFuture<InetSocketAddress> caller : callers) {
			assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo(this.server.address());
		}
		assertThat(this.resolutions).hasValue(1);
		assertThat(this.group.pools()).hasSize(1);
	}

	@Test
	void whenTheGroupIsClosedBeforeResolutionThenGetFailsWithoutAskingForAddresses() {
		this.group.close();

		assertThatExceptionOfType(PoolClosedException.class).isThrownBy(this.group::get);
		assertThat(this.resolutions).hasValue(0);
	}

}
