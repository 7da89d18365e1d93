package dev.anet.boot.autoconfigure.observation;

import java.nio.charset.StandardCharsets;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.metrics.AnetMetricsAutoConfiguration;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code client} tag of the broker observation: with observations on, the
 * {@code anet.broker.requests} timer has it as the anet meters' timer has it ({@code default}, or
 * the name of an {@code anet.clients.<name>} client), so dashboards keep working.
 */
class AnetObservationClientsTests {

	private AnetServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetClientsAutoConfiguration.class, AnetMetricsAutoConfiguration.class,
				AnetObservationAutoConfiguration.class))
		.withUserConfiguration(AnetObservationTimersTests.MeteredObservationConfiguration.class)
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
	void whenTwoNamedClientsAndTheDefaultOneSendThenEachObservationTimerHasItsClientTag() {
		String address = "127.0.0.1:" + this.server.port();
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=" + address, "anet.clients.hsm.addresses=" + address,
					"anet.clients.host.addresses=" + address)
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				send(clients, "default", 1);
				send(clients, "hsm", 2);
				send(clients, "host", 3);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("anet.broker.requests").timers()).hasSize(3)
					.allSatisfy((timer) -> assertThat(timer.getId().getTag("error")).as("made by the observation")
						.isEqualTo("none"));
				for (String client : new String[] { "default", "hsm", "host" }) {
					Timer timer = registry.get("anet.broker.requests")
						.tag("client", client)
						.tag("outcome", "success")
						.tag("exception", "none")
						.timer();
					assertThat(timer.count()).as(client)
						.isEqualTo(client.equals("default") ? 1 : client.equals("hsm") ? 2 : 3);
					// the long task timer has the tags known at the start: the client's only
					LongTaskTimer active = registry.get("anet.broker.requests.active").tag("client", client).longTaskTimer();
					assertThat(active.getId().getTags()).hasSize(1);
					assertThat(active.activeTasks()).isZero();
				}
			});
	}

	@Test
	void whenThereAreNamedClientsThenEachBrokerHasAnObservationInterceptorOfItsOwn() {
		String address = "127.0.0.1:" + this.server.port();
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=" + address, "anet.clients.hsm.addresses=" + address,
					"anet.clients.host.addresses=" + address)
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				ObservationBrokerInterceptor bean = context.getBean(ObservationBrokerInterceptor.class);
				assertThat(observation(clients, "default")).isSameAs(bean);
				assertThat(observation(clients, "hsm").getClient()).isEqualTo("hsm");
				assertThat(observation(clients, "host").getClient()).isEqualTo("host");
				assertThat(context.getBean("hsmAnetBroker", Broker.class)).isSameAs(clients.broker("hsm"));
			});
	}

	@Test
	void whenObservationsAreOffThenTheAnetMetersTimersStillHaveTheClientTag() {
		String address = "127.0.0.1:" + this.server.port();
		this.contextRunner
			.withPropertyValues("anet.observations.enabled=false", "anet.clients.hsm.addresses=" + address,
					"anet.clients.host.addresses=" + address)
			.run((context) -> {
				AnetClients clients = context.getBean(AnetClients.class);
				send(clients, "hsm", 1);
				send(clients, "host", 1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("anet.broker.requests").timers()).hasSize(2)
					.allSatisfy((timer) -> assertThat(timer.getId().getTag("error")).isNull());
				assertThat(registry.get("anet.broker.requests").tag("client", "hsm").timer().count()).isEqualTo(1);
				assertThat(registry.find("anet.broker.requests.active").meters()).isEmpty();
			});
	}

	private static ObservationBrokerInterceptor observation(AnetClients clients, String client) {
		return clients.broker(client)
			.config()
			.interceptors()
			.stream()
			.filter(ObservationBrokerInterceptor.class::isInstance)
			.map(ObservationBrokerInterceptor.class::cast)
			.reduce((first, second) -> {
				throw new AssertionError("two observation interceptors: " + first + ", " + second);
			})
			.orElseThrow();
	}

	private static void send(AnetClients clients, String client, int times) {
		for (int i = 0; i < times; i++) {
			clients.broker(client).send(client.getBytes(StandardCharsets.US_ASCII));
		}
	}

}
