package dev.anet.boot.autoconfigure;

import java.util.UUID;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.metrics.AnetMetricsAutoConfiguration;
import dev.anet.broker.Broker;
import dev.anet.pool.NoPoolsAvailableException;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A broker that calls the application's own server on a random port:
 * {@code anet.pool.addresses=127.0.0.1:${local.anet.server.port}} with {@code anet.server.port=0}.
 */
class AnetSelfCallIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, MetricsAutoConfiguration.class,
				AnetMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(SelfConfiguration.class)
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0",
				"anet.pool.addresses=127.0.0.1:${local.anet.server.port}", "anet.pool.validation-interval=0");

	@Test
	void whenTheServerIsOnPortZeroThenTheBrokerCallsItThroughLocalAnetServerPort() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			AnetServer server = context.getBean(AnetServerLifecycle.class).getServer();
			int port = server.port();
			assertThat(port).isPositive();
			Broker broker = context.getBean(Broker.class);

			// the answer carries this context's own token: it came from this context's server
			String token = context.getBean(Self.class).token;
			assertThat(text(broker.send(ascii("who")))).isEqualTo(token + ":who");

			PoolGroup pools = context.getBean(PoolGroup.class);
			assertThat(pools.isResolved()).isTrue();
			assertThat(pools.stats()).singleElement()
				.satisfies((stats) -> assertThat(stats.address().getPort()).isEqualTo(port));
			assertThat(server.activeConnections()).isEqualTo(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("anet.pool.connections.max")
				.tag("address", "127.0.0.1:" + port)
				.gauge()
				.value()).isEqualTo(8);
		});
	}

	@Test
	void whenTheContextIsRefreshedThenTheAddressIsNotResolvedBeforeTheFirstRequest() {
		this.contextRunner.withPropertyValues("anet.server.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PoolGroup.class).isResolved()).isFalse();
		});
	}

	@Test
	void whenThePlaceholderNeverResolvesThenRequestsFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("anet.server.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			Broker broker = context.getBean(Broker.class);
			assertThatExceptionOfType(NoPoolsAvailableException.class).isThrownBy(() -> broker.send(ascii("x")))
				.withMessageContaining("anet.pool.addresses[0]")
				.withMessageContaining("local.anet.server.port")
				.withRootCauseInstanceOf(IllegalArgumentException.class)
				.havingCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SelfConfiguration {

		@Bean
		Self self() {
			return new Self();
		}

	}

	static class Self {

		final String token = UUID.randomUUID().toString();

		@AnetHandler
		byte[] answer(byte[] request) {
			return ascii(this.token + ":" + text(request));
		}

	}

}
