package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import dev.anet.boot.autoconfigure.discovery.AnetDiscoveryAutoConfiguration;
import dev.anet.boot.autoconfigure.health.AnetHealthContributorAutoConfiguration;
import dev.anet.boot.autoconfigure.metrics.AnetMetricsAutoConfiguration;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerClosedException;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.BrokerListener;
import dev.anet.broker.RequestOutcome;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.ValidationStrategy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the client side of {@link AnetAutoConfiguration}: the pool group and the broker.
 */
class AnetAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class));

	@Test
	void autoConfigurationsAreListedForSpringBoot() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(AnetAutoConfiguration.class.getName(), AnetClientsAutoConfiguration.class.getName(),
					AnetDiscoveryAutoConfiguration.class.getName(), AnetHealthContributorAutoConfiguration.class.getName(),
					AnetMetricsAutoConfiguration.class.getName());
	}

	@Test
	void whenAddressesAreSetThenPoolGroupAndBrokerHaveTheCoreDefaults() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500,[::1]:1501").run((context) -> {
			assertThat(context).hasSingleBean(PoolGroup.class).hasSingleBean(Broker.class);
			PoolGroup pools = context.getBean(PoolGroup.class);
			assertThat(pools.config()).isEqualTo(PoolConfig.defaults());
			assertThat(pools.stats()).extracting((stats) -> stats.address().getPort()).containsExactly(1500, 1501);
			Broker broker = context.getBean(Broker.class);
			assertThat(broker.config()).isEqualTo(BrokerConfig.defaults());
			assertThat(broker.pools()).isSameAs(pools);
		});
	}

	@Test
	void addressesMayBeAnIndexedList() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses[0]=127.0.0.1:1500", "anet.pool.addresses[1]=127.0.0.1:1501")
			.run((context) -> assertThat(context.getBean(PoolGroup.class).stats()).hasSize(2));
	}

	@Test
	void whenAddressesAreNotSetThenThereIsNoPoolGroupNorBroker() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PoolGroup.class)
			.doesNotHaveBean(Broker.class));
	}

	@Test
	void propertiesReachTheCoreConfiguration() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.capacity=3",
					"anet.pool.dial-timeout=250ms", "anet.pool.idle-timeout=0", "anet.pool.validation-interval=0",
					"anet.pool.validation-strategy=ping", "anet.pool.validation-timeout=2s",
					"anet.pool.max-validation-attempts=5", "anet.pool.keep-alive-interval=0", "anet.pool.no-delay=false",
					"anet.broker.workers=2", "anet.broker.write-timeout=1s", "anet.broker.read-timeout=3s",
					"anet.broker.queue-size=10", "anet.broker.optimize-memory=true",
					"anet.broker.max-in-flight-per-connection=1", "anet.broker.close-timeout=0")
			.run((context) -> {
				assertThat(context.getBean(PoolGroup.class).config()).isEqualTo(PoolConfig.builder()
					.capacity(3)
					.dialTimeout(Duration.ofMillis(250))
					.idleTimeout(Duration.ZERO)
					.validationInterval(Duration.ZERO)
					.validationStrategy(ValidationStrategy.PING)
					.validationTimeout(Duration.ofSeconds(2))
					.maxValidationAttempts(5)
					.keepAliveInterval(Duration.ZERO)
					.noDelay(false)
					.build());
				assertThat(context.getBean(Broker.class).config()).isEqualTo(BrokerConfig.builder()
					.workers(2)
					.writeTimeout(Duration.ofSeconds(1))
					.readTimeout(Duration.ofSeconds(3))
					.queueSize(10)
					.optimizeMemory(true)
					.maxInFlightPerConnection(1)
					.closeTimeout(Duration.ZERO)
					.build());
			});
	}

	@Test
	void backsOffToAUserPoolGroupAndBroker() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.withUserConfiguration(UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(PoolGroup.class).hasSingleBean(Broker.class);
				assertThat(context.getBean(Broker.class)).isSameAs(context.getBean("userBroker"));
				assertThat(context.getBean(PoolGroup.class)).isSameAs(context.getBean("userPools"));
			});
	}

	@Test
	void customizersAreAppliedInOrderAfterTheProperties() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.capacity=3", "anet.broker.workers=2")
			.withUserConfiguration(CustomizerConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(PoolGroup.class).config().capacity()).isEqualTo(20);
				assertThat(context.getBean(Broker.class).config().workers()).isEqualTo(7);
			});
	}

	@Test
	void brokerIsClosedOnShutdown() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500").run((context) -> {
			Broker broker = context.getBean(Broker.class);
			PoolGroup pools = context.getBean(PoolGroup.class);
			context.close();
			assertThat(broker.isClosed()).isTrue();
			assertThat(pools.isClosed()).isTrue();
			assertThatExceptionOfType(BrokerClosedException.class).isThrownBy(() -> broker.send(new byte[] { 1 }));
		});
	}

	@Test
	void listenerBeansAreGivenToTheBroker() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.withUserConfiguration(ListenerConfiguration.class)
			.run((context) -> {
				Broker broker = context.getBean(Broker.class);
				broker.close();
				assertThatExceptionOfType(BrokerClosedException.class).isThrownBy(() -> broker.send(new byte[] { 1 }));
				assertThat(context.getBean("first", RecordingBrokerListener.class).outcomes)
					.containsExactly(RequestOutcome.REJECTED);
				assertThat(context.getBean("second", RecordingBrokerListener.class).outcomes)
					.containsExactly(RequestOutcome.REJECTED);
			});
	}

	@Test
	void whenAValueIsInvalidThenStartUpFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.capacity=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException failure = invalidProperty(context.getStartupFailure());
				assertThat(failure.getName()).isEqualTo("anet.pool.capacity");
				assertThat(failure.getValue()).isEqualTo(0);
				assertThat(failure).hasMessage(
						"Property anet.pool.capacity with value '0' is invalid: Must be greater than 0 but was 0.");
			});
	}

	@Test
	void whenADurationIsNegativeThenStartUpFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.broker.read-timeout=-1s")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = invalidProperty(context.getStartupFailure());
				assertThat(failure.getName()).isEqualTo("anet.broker.read-timeout");
				assertThat(failure.getValue()).isEqualTo("-1s");
				assertThat(failure.getMessage()).isEqualTo(
						"Property anet.broker.read-timeout with value '-1s' is invalid: Must be greater than 0 but was -1s.");
			});
	}

	@Test
	void whenADurationIsInvalidThenTheMessageShowsItAsWritten() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.dial-timeout=-500ms")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getMessage())
				.isEqualTo("Property anet.pool.dial-timeout with value '-500ms' is invalid: "
						+ "Must be greater than 0 but was -500ms."));
	}

	@Test
	void whenAnAddressIsNotHostPortThenStartUpFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500,nohost").run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = invalidProperty(context.getStartupFailure());
			assertThat(failure.getName()).isEqualTo("anet.pool.addresses[1]");
			assertThat(failure.getValue()).isEqualTo("nohost");
		});
	}

	static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in " + failure, failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		PoolGroup userPools() {
			return new PoolGroup(List.of(new InetSocketAddress("127.0.0.1", 1600)), PoolConfig.defaults(),
					dev.anet.pool.PoolListener.NONE);
		}

		@Bean
		Broker userBroker(PoolGroup userPools) {
			return new Broker(userPools, BrokerConfig.defaults());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@Order(2)
		AnetPoolCustomizer second() {
			return (builder) -> builder.capacity(20);
		}

		@Bean
		@Order(1)
		AnetPoolCustomizer first() {
			return (builder) -> builder.capacity(10);
		}

		@Bean
		AnetBrokerCustomizer brokerCustomizer() {
			return (builder) -> builder.workers(7);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		RecordingBrokerListener first() {
			return new RecordingBrokerListener();
		}

		@Bean
		RecordingBrokerListener second() {
			return new RecordingBrokerListener();
		}

	}

	static class RecordingBrokerListener implements BrokerListener {

		final List<RequestOutcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void requestCompleted(RequestOutcome outcome, long nanos) {
			this.outcomes.add(outcome);
		}

	}

}
