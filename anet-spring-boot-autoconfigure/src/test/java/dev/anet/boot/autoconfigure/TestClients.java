package dev.anet.boot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;

/**
 * Real anet clients for the tests: a core broker on loopback.
 */
final class TestClients {

	private TestClients() {
	}

	static Broker broker(int port) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port),
				PoolConfig.builder().validationInterval(Duration.ZERO).dialTimeout(Duration.ofSeconds(2)).build());
		return new Broker(pools,
				BrokerConfig.builder().readTimeout(Duration.ofSeconds(5)).closeTimeout(Duration.ZERO).build());
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
