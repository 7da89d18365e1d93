package dev.anet.boot.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.ConnectionPool;
import dev.anet.pool.NoPoolsAvailableException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link AnetHealthIndicator} with {@link PoolReachability}: an address is UNKNOWN until dialled,
 * DOWN from a failed dial until a dial succeeds whatever the back-off, and the outage is logged
 * once at WARN and its end at INFO.
 */
class PoolReachabilityHealthTests {

	private final PoolReachability reachability = new PoolReachability();

	private final Logger poolLogger = (Logger) LoggerFactory.getLogger(ConnectionPool.class);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private PoolGroup pools;

	@AfterEach
	void cleanUp() {
		this.poolLogger.detachAppender(this.logs);
		if (this.pools != null) {
			this.pools.close();
		}
	}

	private PoolGroup pools(int port) {
		this.pools = new PoolGroup(List.of(new InetSocketAddress("127.0.0.1", port)),
				PoolConfig.builder().validationInterval(Duration.ZERO).dialTimeout(Duration.ofSeconds(2)).build(),
				this.reachability);
		return this.pools;
	}

	private Health health() {
		return new AnetHealthIndicator(() -> this.pools, () -> null, () -> null, this.reachability).health();
	}

	@Test
	void whenAnAddressWasNeverDialledThenItIsUnknownAndHealthIsUp() {
		pools(9);
		Health health = health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(pool(health, "127.0.0.1:9")).containsEntry("status", "UNKNOWN").doesNotContainKey("lastError");
	}

	@Test
	void whenADialFailsThenTheAddressIsDownPastItsBackOffUntilADialSucceeds() throws IOException {
		this.logs.start();
		this.poolLogger.addAppender(this.logs);
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		PoolGroup pools = pools(port);
		String address = "127.0.0.1:" + port;
		ConnectionPool pool = pools.pools().get(0);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(NoPoolsAvailableException.class).isThrownBy(pools::get);
			await().atMost(Duration.ofSeconds(5)).until(() -> !pool.isDown(System.nanoTime()));
			// the back-off has passed: the address is still down, as nothing has answered since
			assertThat(health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(pool(health(), address)).containsEntry("status", "DOWN")
				.containsEntry("lastError", "Connection refused");
		}
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			AnetConnection connection = pools.get();
			pools.put(connection);
			assertThat(health().getStatus()).isEqualTo(Status.UP);
			assertThat(pool(health(), address)).containsEntry("status", "UP").doesNotContainKey("lastError");
		}
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage())
				.isEqualTo("Dial to " + address + " failed: java.net.ConnectException: Connection refused. "
						+ "The address is down until a dial succeeds"));
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.INFO)
			.singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage())
				.isEqualTo("Dial to " + address + " succeeded after 2 failed dial(s): the address is up again"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> pool(Health health, String address) {
		return ((Map<String, Map<String, Object>>) health.getDetails().get("pools")).get(address);
	}

}
