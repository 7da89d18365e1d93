package dev.anet.pool;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.anet.testsupport.SilentListener;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the pool dials: socket options, and a refused connection.
 */
class PoolDialTests {

	private static final PoolConfig CONFIG = PoolConfig.builder().validationInterval(Duration.ZERO).build();

	private TestServer server;

	private ConnectionPool pool;

	private final CountingListener listener = new CountingListener();

	private final List<Closeable> silent = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (Closeable closeable : this.silent) {
			closeable.close();
		}
		if (this.pool != null) {
			this.pool.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private SocketChannel dial(PoolConfig config) throws IOException {
		this.server = TestServer.start();
		this.pool = new ConnectionPool(this.server.address(), config, this.listener);
		return this.pool.get().channel();
	}

	@Test
	void whenNoDelayIsNotSetThenTcpNoDelayIsOn() throws Exception {
		assertThat(dial(CONFIG).getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
	}

	@Test
	void whenNoDelayIsOffThenTcpNoDelayIsOff() throws Exception {
		assertThat(dial(CONFIG.toBuilder().noDelay(false).build()).getOption(StandardSocketOptions.TCP_NODELAY))
			.isFalse();
	}

	@Test
	void whenKeepAliveIntervalIsSetThenKeepAliveProbesUseIt() throws Exception {
		SocketChannel channel = dial(CONFIG.toBuilder().keepAliveInterval(Duration.ofSeconds(17)).build());

		assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
		if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
			assertThat(channel.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(17);
			assertThat(channel.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(17);
		}
	}

	@Test
	void whenKeepAliveIsNotConfiguredThenItIsOnByDefault() throws Exception {
		assertThat(dial(CONFIG).getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
	}

	@Test
	void whenKeepAliveIntervalIsZeroThenKeepAliveIsOff() throws Exception {
		assertThat(dial(CONFIG.toBuilder().keepAliveInterval(Duration.ZERO).build())
			.getOption(StandardSocketOptions.SO_KEEPALIVE)).isFalse();
	}

	@Test
	void whenTheServerDoesNotAnswerThenDialGivesUpAfterDialTimeout() throws Exception {
		InetSocketAddress silent = silentServer();
		this.pool = new ConnectionPool(silent, CONFIG.toBuilder().dialTimeout(Duration.ofMillis(300)).build(),
				this.listener);

		long start = System.nanoTime();
		assertThatExceptionOfType(DialException.class).isThrownBy(this.pool::get)
			.withMessageStartingWith("Failed to connect to " + Addresses.format(silent) + " within 300 ms: ")
			.withCauseInstanceOf(java.net.SocketTimeoutException.class);

		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 2000L);
	}

	@Test
	void whenDialTimeoutIsUnderAMillisecondThenDialStillTimesOut() throws Exception {
		InetSocketAddress silent = silentServer();
		this.pool = new ConnectionPool(silent, CONFIG.toBuilder().dialTimeout(Duration.ofNanos(500_000)).build(),
				this.listener);

		CompletableFuture<AnetConnection> dial = CompletableFuture.supplyAsync(this.pool::get);

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> dial.get(3, TimeUnit.SECONDS))
			.withCauseInstanceOf(DialException.class)
			.withRootCauseInstanceOf(java.net.SocketTimeoutException.class);
	}

	private InetSocketAddress silentServer() throws IOException {
		return SilentListener.open(this.silent::add);
	}

	@Test
	void whenTheConnectionIsRefusedThenDialFailsFastNamingTheAddress() throws Exception {
		int port = TestServer.deadPort();
		InetSocketAddress address = TestServer.loopback(port);
		this.pool = new ConnectionPool(address, CONFIG.toBuilder().capacity(1).build(), this.listener);

		long start = System.nanoTime();
		assertThatExceptionOfType(DialException.class).isThrownBy(this.pool::get)
			.withMessageStartingWith("Failed to connect to 127.0.0.1:" + port + " within 5000 ms: ")
			.withMessageContaining("Connection refused")
			.withCauseInstanceOf(java.net.ConnectException.class)
			.satisfies((ex) -> assertThat(ex.address()).isEqualTo(address));
		long failedAt = System.nanoTime();

		assertThat(TimeUnit.NANOSECONDS.toMillis(failedAt - start)).isLessThan(1000);
		assertThat(this.pool.isDown(failedAt)).isTrue();
		assertThat(this.listener.dialFailures).singleElement().isInstanceOf(java.net.ConnectException.class);
		assertThat(this.pool.stats()).satisfies((stats) -> {
			assertThat(stats.total()).isZero();
			assertThat(stats.lastError()).startsWith("java.net.ConnectException");
		});

		// the failed dial gave its place back: once the address listens, the next get dials it
		this.server = TestServer.startOn(port);
		AnetConnection connection = this.pool.get();
		assertThat(connection.isUsable()).isTrue();
		assertThat(this.pool.isDown(System.nanoTime())).isFalse();
		assertThat(this.pool.stats().total()).isEqualTo(1);
	}

}
