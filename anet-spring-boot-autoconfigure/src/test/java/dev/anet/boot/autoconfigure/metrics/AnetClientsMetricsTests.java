package dev.anet.boot.autoconfigure.metrics;

import java.nio.charset.StandardCharsets;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code client} tag of the pool and broker meters: each client's meters count its own
 * requests only, {@code default} for the default client.
 */
class AnetClientsMetricsTests {

	private AnetServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetClientsAutoConfiguration.class, AnetMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("anet.pool.validation-interval=0", "anet.server.enabled=false");

	@BeforeEach
	void start() {
		this.server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> request);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void whenThreeClientsSendThenEachClientsMetersCountItsOwnRequests() {
		String address = "127.0.0.1:" + this.server.port();
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=" + address, "anet.clients.hsm.addresses=" + address,
					"anet.clients.host.addresses=" + address, "anet.clients.host.pool.capacity=3")
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				send(clients, "default", 1);
				send(clients, "hsm", 2);
				send(clients, "host", 3);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String client : new String[] { "default", "hsm", "host" }) {
					assertThat(registry.get("anet.broker.requests").tag("client", client).tag("outcome", "success")
						.timer()
						.count()).as(client).isEqualTo(client.equals("default") ? 1 : client.equals("hsm") ? 2 : 3);
					assertThat(registry.get("anet.pool.connections.created").tag("client", client).counter().count())
						.as(client)
						.isEqualTo(1);
					assertThat(registry.get("anet.broker.queue.capacity").tag("client", client).gauges()).hasSize(1);
				}
				assertThat(registry.get("anet.pool.connections.max").tag("client", "host").gauge().value()).isEqualTo(3);
				assertThat(registry.get("anet.pool.connections.max").tag("client", "hsm").gauge().value()).isEqualTo(8);
			});
	}

	@Test
	void whenThereAreOnlyNamedClientsThenNoMeterIsTaggedDefault() {
		String address = "127.0.0.1:" + this.server.port();
		this.contextRunner.withPropertyValues("anet.clients.hsm.addresses=" + address).run((context) -> {
			send(context.getBean(AnetClients.class), "hsm", 1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("anet.broker.queue.size").tag("client", "default").meters()).isEmpty();
			assertThat(registry.get("anet.broker.queue.size").tag("client", "hsm").gauges()).hasSize(1);
			assertThat(registry.find("anet.pool.connections.created").tag("client", "default").meters()).isEmpty();
		});
	}

	@Test
	void whenNamedClientsCallTheApplicationsServerThenItsRequestsAreCountedOnce() {
		// each client's AnetMetrics is a ServerListener bean too: only the server's own meters count
		this.contextRunner.withBean(Echo.class)
			.withPropertyValues("anet.server.enabled=true", "anet.server.address=127.0.0.1", "anet.server.port=0",
					"anet.clients.hsm.addresses=127.0.0.1:${local.anet.server.port}",
					"anet.clients.host.addresses=127.0.0.1:${local.anet.server.port}")
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				send(clients, "hsm", 2);
				send(clients, "host", 1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				org.awaitility.Awaitility.await()
					.atMost(java.time.Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(registry.get("anet.server.requests").timer().count()).isEqualTo(3));
				assertThat(registry.get("anet.server.requests").timers()).hasSize(1);
			});
	}

	@dev.anet.boot.AnetHandler
	static class Echo implements dev.anet.server.Handler {

		@Override
		public byte[] handle(dev.anet.server.ServerConnection connection, byte[] request) {
			return request;
		}

	}

	private static void send(AnetClients clients, String client, int times) {
		for (int i = 0; i < times; i++) {
			clients.broker(client).send(client.getBytes(StandardCharsets.US_ASCII));
		}
	}

}
