package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetMetricsAutoConfiguration}.
 */
class AnetMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("anet.pool.addresses=127.0.0.1:1500");

	@Test
	void whenThereIsARegistryThenTheAnetMetersAreBound() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AnetMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("anet.pool.connections.max").tag("address", "127.0.0.1:1500").gauge().value())
				.isEqualTo(8);
			assertThat(registry.get("anet.broker.requests").tag("outcome", "success").tag("exception", "none").timers())
				.as("failures register their timers when they happen").hasSize(1);
			assertThat(registry.find("anet.server.connections.active").meters()).as("no handler, no server").isEmpty();
		});
	}

	@Test
	void theMetricsAreTheBrokersListener() {
		this.contextRunner.run((context) -> {
			Broker broker = context.getBean(Broker.class);
			broker.close();
			broker.sendAsync(new byte[] { 1 });
			assertThat(context.getBean(MeterRegistry.class)
				.get("anet.broker.requests")
				.tag("outcome", "rejected")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void backsOffToAUserAnetMetrics() {
		AnetMetrics mine = new AnetMetrics(() -> null, () -> null, () -> null, (request) -> null);
		this.contextRunner.withBean("mine", AnetMetrics.class, () -> mine)
			.run((context) -> assertThat(context).getBean(AnetMetrics.class).isSameAs(mine));
	}

	@Test
	void whenThereIsNoRegistryThenThereAreNoMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetMetricsAutoConfiguration.class))
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Broker.class)
				.doesNotHaveBean(AnetMetrics.class));
	}

	@Test
	void withoutMicrometerOnTheClassPathEverythingElseWorks() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.micrometer"))
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Broker.class)
				.doesNotHaveBean("anetMetrics"));
	}

}
