package dev.anet.boot.autoconfigure.observation;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.metrics.AnetMetricsAutoConfiguration;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the request timers come either from the observations or from the anet meters, never
 * from both, with the same names and low-cardinality tags.
 */
class AnetObservationTimersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetMetricsAutoConfiguration.class, AnetObservationAutoConfiguration.class))
		.withUserConfiguration(MeteredObservationConfiguration.class)
		.withBean(AnetObservationAutoConfigurationTests.Handlers.class)
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0", "anet.pool.addresses=127.0.0.1:1");

	@Test
	void whenObservationsAreOnThenTheTimersComeFromThemOnly() {
		this.contextRunner.run((context) -> {
			call(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Collection<Timer> broker = meters.find("anet.broker.requests").timers();
			assertThat(broker).singleElement().satisfies((timer) -> {
				assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
				assertThat(timer.getId().getTag("exception")).as("the meter binder's tag too").isEqualTo("none");
				assertThat(timer.getId().getTag("error")).as("made by the observation").isEqualTo("none");
				assertThat(timer.count()).isEqualTo(1);
			});
			// the server's observation ends after its answer is written: maybe after the caller got it
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				Collection<Timer> server = meters.find("anet.server.requests").timers();
				assertThat(server).singleElement().satisfies((timer) -> {
					assertThat(timer.getId().getTag("route")).isEqualTo("NC");
					assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
					assertThat(timer.getId().getTag("error")).isEqualTo("none");
				});
			});
		});
	}

	@Test
	void whenObservationsAreOffThenTheAnetMetersMakeTheTimers() {
		this.contextRunner.withPropertyValues("anet.observations.enabled=false").run((context) -> {
			call(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// the meter binder makes a timer per outcome and exception as they happen: one call, one timer
			assertThat(meters.find("anet.broker.requests").timers()).singleElement().satisfies((timer) -> {
				assertThat(timer.getId().getTag("error")).as("made by the meter binder").isNull();
				assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
				assertThat(timer.getId().getTag("exception")).isEqualTo("none");
				assertThat(timer.count()).isEqualTo(1);
			});
			// the server's listener hears of its request after the answer is written: maybe after the caller got it
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(meters.find("anet.server.requests").timers()).singleElement()
					.satisfies((timer) -> assertThat(timer.getId().getTag("error")).isNull()));
		});
	}

	/**
	 * A call to the context's server through a broker made as the auto-configured one is (its
	 * interceptors, the anet meters as its listener); the auto-configured broker points nowhere,
	 * as its address cannot name a port picked at start.
	 */
	private static void call(ConfigurableApplicationContext context) {
		Broker configured = context.getBean(Broker.class);
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + AnetObservationAutoConfigurationTests.port(context)),
				PoolConfig.builder().build());
		BrokerConfig config = BrokerConfig.builder()
			.closeTimeout(Duration.ZERO)
			.interceptors(configured.config().interceptors())
			.build();
		try (Broker broker = new Broker(pools, config, context.getBean(AnetMetrics.class))) {
			assertThat(broker.send(AnetObservationAutoConfigurationTests.ascii("NC00"))).asString().isEqualTo("ND00");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class MeteredObservationConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meters) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
		}

	}

}
