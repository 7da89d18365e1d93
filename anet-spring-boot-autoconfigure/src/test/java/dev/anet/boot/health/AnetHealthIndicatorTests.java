package dev.anet.boot.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.NoPoolsAvailableException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AnetHealthIndicator}.
 */
class AnetHealthIndicatorTests {

	@Test
	void whenThePartsAreUpThenHealthIsUpWithTheirDetails() {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> request);
		server.start();
		try (Broker broker = new Broker(pools(server.port()), BrokerConfig.defaults())) {
			broker.send(new byte[] { 1 });
			Health health = new AnetHealthIndicator(() -> null, () -> broker, () -> server).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(detail(health, "pools")).containsOnlyKeys("127.0.0.1:" + server.port());
			assertThat(detail(detail(health, "pools"), "127.0.0.1:" + server.port())).containsEntry("status", "UP")
				.containsEntry("max", 8)
				.containsEntry("active", 0)
				.containsEntry("idle", 1)
				.containsEntry("pending", 0)
				.doesNotContainKey("lastError");
			assertThat(detail(health, "broker")).containsEntry("queueSize", 0)
				.containsEntry("queueCapacity", 4096)
				.containsEntry("inFlight", 0)
				.containsEntry("closed", false);
			assertThat(detail(health, "server")).containsEntry("listening", true)
				.containsEntry("port", server.port())
				.containsEntry("activeConnections", 1);
		}
		finally {
			server.stop();
		}
	}

	@Test
	void whenEveryAddressIsDownThenHealthIsDownWithTheLastError() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (PoolGroup pools = pools(closedPort)) {
			assertThatExceptionOfType(NoPoolsAvailableException.class).isThrownBy(pools::get)
				.withMessageContaining("127.0.0.1:" + closedPort);
			Health health = new AnetHealthIndicator(() -> pools, () -> null, () -> null).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			Map<String, Object> pool = detail(detail(health, "pools"), "127.0.0.1:" + closedPort);
			assertThat(pool).containsEntry("status", "DOWN").containsKey("lastError");
			assertThat(health.getDetails()).doesNotContainKeys("broker", "server");
		}
	}

	@Test
	void whenTheServerIsNotListeningThenHealthIsDown() {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> request);
		Health health = new AnetHealthIndicator(() -> null, () -> null, () -> server).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(detail(health, "server")).containsEntry("listening", false);
	}

	@Test
	void whenTheBrokerIsClosedThenHealthIsDown() {
		Broker broker = new Broker(pools(9), BrokerConfig.defaults());
		broker.close();
		Health health = new AnetHealthIndicator(() -> null, () -> broker, () -> null).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(detail(health, "broker")).containsEntry("closed", true);
	}

	private static PoolGroup pools(int port) {
		return new PoolGroup(List.of(new InetSocketAddress("127.0.0.1", port)),
				PoolConfig.builder().validationInterval(Duration.ZERO).dialTimeout(Duration.ofSeconds(2)).build(),
				PoolListener.NONE);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> detail(Health health, String name) {
		return (Map<String, Object>) health.getDetails().get(name);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> detail(Map<String, Object> details, String name) {
		return (Map<String, Object>) details.get(name);
	}

}
