package dev.anet.boot.autoconfigure.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Health of named clients: {@code anet} → {@code clients} → one indicator per client with its
 * addresses, the server beside them; one down backend is visible by name.
 */
class AnetClientsHealthTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class,
				AnetHealthContributorAutoConfiguration.class))
		.withPropertyValues("anet.pool.validation-interval=0", "anet.broker.read-timeout=5s",
				"anet.pool.dial-timeout=2s");

	private AnetServer hsm;

	private int closedPort;

	@BeforeEach
	void start() throws IOException {
		this.hsm = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> request);
		this.hsm.start();
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.closedPort = socket.getLocalPort();
		}
	}

	@AfterEach
	void stop() {
		this.hsm.close();
	}

	@Test
	void whenOneClientsBackendIsDownThenItsClientIsDownByNameAndTheOtherUp() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:" + this.hsm.port(),
					"anet.clients.host.addresses=127.0.0.1:" + this.closedPort, "anet.server.enabled=false")
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				clients.broker("hsm").send("ping".getBytes(StandardCharsets.US_ASCII));
				Broker host = clients.broker("host");
				assertThatException().isThrownBy(() -> host.send("ping".getBytes(StandardCharsets.US_ASCII)));
				CompositeHealthContributor anet = context.getBean("anetHealthContributor",
						CompositeHealthContributor.class);
				assertThat(anet.getContributor("server")).isNull();
				CompositeHealthContributor byClient = (CompositeHealthContributor) anet.getContributor("clients");
				Health hsmHealth = health(byClient.getContributor("hsm"));
				assertThat(hsmHealth.getStatus()).isEqualTo(Status.UP);
				assertThat(address(hsmHealth, "127.0.0.1:" + this.hsm.port())).containsEntry("status", "UP");
				Health hostHealth = health(byClient.getContributor("host"));
				assertThat(hostHealth.getStatus()).isEqualTo(Status.DOWN);
				assertThat(address(hostHealth, "127.0.0.1:" + this.closedPort)).containsEntry("status", "DOWN")
					.containsKey("lastError");
			});
	}

	@Test
	void whenTheDefaultClientAndANamedClientAndAServerExistThenEachIsAPartByName() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=127.0.0.1:" + this.hsm.port(),
					"anet.clients.host.addresses=127.0.0.1:" + this.closedPort, "anet.server.enabled=true",
					"anet.server.port=0")
			.withBean(HandlerBean.class)
			.run((context) -> {
				CompositeHealthContributor anet = context.getBean("anetHealthContributor",
						CompositeHealthContributor.class);
				CompositeHealthContributor byClient = (CompositeHealthContributor) anet.getContributor("clients");
				assertThat(byClient.getContributor("default")).isNotNull();
				assertThat(byClient.getContributor("host")).isNotNull();
				assertThat(health(anet.getContributor("server")).getDetails()).containsKey("server");
				assertThat(health(byClient.getContributor("host")).getStatus())
					.as("never dialled: UNKNOWN addresses do not make it DOWN")
					.isEqualTo(Status.UP);
			});
	}

	@Test
	void whenOnlyTheDefaultClientExistsThenTheContributorIsTheSingleIndicator() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:" + this.hsm.port())
			.run((context) -> assertThat(context.getBean("anetHealthContributor")).isInstanceOf(HealthIndicator.class));
	}

	private static Health health(HealthContributor contributor) {
		assertThat(contributor).isInstanceOf(HealthIndicator.class);
		return ((HealthIndicator) contributor).health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> address(Health health, String address) {
		Map<String, Object> pools = (Map<String, Object>) health.getDetails().get("pools");
		return (Map<String, Object>) pools.get(address);
	}

	@AnetHandler
	static class HandlerBean implements Handler {

		@Override
		public byte[] handle(ServerConnection connection, byte[] request) {
			return request;
		}

	}

}
