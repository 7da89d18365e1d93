package dev.anet.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two named clients against two real anet servers in one context: each request reaches its own
 * backend.
 */
class AnetClientsIntegrationTests {

	private final List<AnetServer> servers = new ArrayList<>();

	private AnetServer hsm;

	private AnetServer host;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class));

	@BeforeEach
	void startServers() {
		this.hsm = server("hsm");
		this.host = server("host");
	}

	@AfterEach
	void stopServers() {
		this.servers.forEach(AnetServer::close);
	}

	private AnetServer server(String name) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> ascii(name + ":" + text(request)));
		this.servers.add(server);
		server.start();
		return server;
	}

	@Test
	void whenTwoClientsCallThenEachRequestReachesItsOwnBackend() {
		this.contextRunner.withUserConfiguration(Callers.class)
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:" + this.hsm.port(),
					"anet.clients.host.addresses=127.0.0.1:" + this.host.port(), "anet.pool.validation-interval=0",
					"anet.broker.read-timeout=5s")
			.run((context) -> {
				Callers callers = context.getBean(Callers.class);
				for (int i = 0; i < 20; i++) {
					assertThat(text(callers.hsm.send(ascii("pin" + i)))).isEqualTo("hsm:pin" + i);
					assertThat(text(callers.host.send(ascii("auth" + i)))).isEqualTo("host:auth" + i);
				}
				AnetClients clients = context.getBean(AnetClients.class);
				assertThat(text(clients.broker("host").send(ascii("x")))).isEqualTo("host:x");
			});
	}

	@Test
	void whenTheDefaultAndANamedClientCallThenAnUnqualifiedBrokerIsTheDefault() {
		this.contextRunner.withUserConfiguration(DefaultCaller.class)
			.withPropertyValues("anet.pool.addresses=127.0.0.1:" + this.host.port(),
					"anet.clients.hsm.addresses=127.0.0.1:" + this.hsm.port(), "anet.pool.validation-interval=0")
			.run((context) -> {
				assertThat(text(context.getBean(DefaultCaller.class).broker.send(ascii("a")))).isEqualTo("host:a");
				assertThat(text(context.getBean(AnetClients.class).broker("hsm").send(ascii("b"))))
					.isEqualTo("hsm:b");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Callers {

		final Broker hsm;

		final Broker host;

		Callers(@Qualifier("hsm") Broker hsm, @Qualifier("host") Broker host) {
			this.hsm = hsm;
			this.host = host;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultCaller {

		final Broker broker;

		DefaultCaller(Broker broker) {
			this.broker = broker;
		}

	}

}
