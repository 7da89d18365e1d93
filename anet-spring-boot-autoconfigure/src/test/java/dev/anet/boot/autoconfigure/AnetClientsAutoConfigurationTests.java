package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.Balancing;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.anet.boot.autoconfigure.AnetAutoConfigurationTests.invalidProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the named clients of {@link AnetAutoConfiguration}: {@code anet.clients.<name>}.
 */
class AnetClientsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class));

	@Test
	void whenTwoClientsAreSetThenEachHasItsBrokerAndPoolGroupWithTheDefaults() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500,127.0.0.1:1501",
					"anet.clients.host.addresses=127.0.0.1:1600")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PoolGroup.class);
				assertThat(context.getBeansOfType(Broker.class)).containsOnlyKeys("hsmAnetBroker", "hostAnetBroker");
				Broker hsm = context.getBean("hsmAnetBroker", Broker.class);
				assertThat(hsm.pools().addresses()).containsExactly("127.0.0.1:1500", "127.0.0.1:1501");
				assertThat(hsm.pools().config()).isEqualTo(PoolConfig.defaults());
				assertThat(hsm.pools().balancing()).isEqualTo(Balancing.ROUND_ROBIN);
				assertThat(hsm.config()).isEqualTo(BrokerConfig.defaults());
				Broker host = context.getBean("hostAnetBroker", Broker.class);
				assertThat(host.pools().addresses()).containsExactly("127.0.0.1:1600");
				AnetClients clients = context.getBean(AnetClients.class);
				assertThat(clients.names()).containsExactly("hsm", "host");
				assertThat(clients.broker("hsm")).isSameAs(hsm);
				assertThatIllegalArgumentException().isThrownBy(() -> clients.broker("fraud"))
					.withMessage("No anet client named 'fraud'; the clients are [hsm, host]");
			});
	}

	@Test
	void whenAClientIsInjectedByQualifierThenItIsThatClientsBroker() {
		this.contextRunner.withUserConfiguration(QualifiedInjection.class)
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500",
					"anet.clients.host.addresses=127.0.0.1:1600")
			.run((context) -> assertThat(context.getBean(QualifiedUser.class).hsm())
				.isSameAs(context.getBean("hsmAnetBroker")));
	}

	@Test
	void whenAClientDoesNotSetAValueThenItTakesAnetPoolAndAnetBroker() {
		this.contextRunner
			.withPropertyValues("anet.pool.capacity=3", "anet.pool.dial-timeout=2s", "anet.broker.read-timeout=3s",
					"anet.broker.workers=2", "anet.clients.hsm.addresses=127.0.0.1:1500",
					"anet.clients.hsm.pool.dial-timeout=250ms", "anet.clients.hsm.broker.workers=1",
					"anet.clients.hsm.balancing=least-in-flight", "anet.clients.host.addresses=127.0.0.1:1600")
			.run((context) -> {
				Broker hsm = context.getBean("hsmAnetBroker", Broker.class);
				assertThat(hsm.pools().config().capacity()).isEqualTo(3);
				assertThat(hsm.pools().config().dialTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(hsm.pools().balancing()).isEqualTo(Balancing.LEAST_IN_FLIGHT);
				assertThat(hsm.config().readTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(hsm.config().workers()).isEqualTo(1);
				Broker host = context.getBean("hostAnetBroker", Broker.class);
				assertThat(host.pools().config().dialTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(host.config().workers()).isEqualTo(2);
			});
	}

	@Test
	void whenThereAreNamedClientsThenTheDefaultClientIsPrimaryAndNamedDefault() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1400", "anet.clients.hsm.addresses=127.0.0.1:1500")
			.run((context) -> {
				assertThat(context).hasSingleBean(PoolGroup.class);
				Broker primary = context.getBean(Broker.class);
				assertThat(primary).isSameAs(context.getBean("anetBroker"));
				assertThat(primary.pools().addresses()).containsExactly("127.0.0.1:1400");
				assertThat(context.getBean(AnetClients.class).names()).containsExactly("default", "hsm");
				assertThat(context.getBean(AnetClients.class).broker("default")).isSameAs(primary);
			});
	}

	@Test
	void whenOnlyTheDefaultClientIsSetThenAnetClientsHasIt() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1400").run((context) -> {
			assertThat(context.getBeanFactory().getBeanDefinition("anetBroker").isPrimary()).isFalse();
			assertThat(context.getBean(AnetClients.class).names()).containsExactly("default");
		});
	}

	@Test
	void whenThereAreNoClientsThenThereIsNoBrokerNorAnetClients() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(Broker.class)
			.doesNotHaveBean(AnetClients.class));
	}

	@Test
	void whenTheUserDefinesTheClientsBeanThenItIsUsed() {
		this.contextRunner.withUserConfiguration(UserHsmBroker.class)
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500",
					"anet.clients.host.addresses=127.0.0.1:1600")
			.run((context) -> {
				assertThat(context.getBean("hsmAnetBroker", Broker.class).pools().addresses())
					.containsExactly("127.0.0.1:1999");
				assertThat(context.getBean(AnetClients.class).broker("host").pools().addresses())
					.containsExactly("127.0.0.1:1600");
			});
	}

	@Test
	void whenACustomizerIsDefinedThenItIsToldEachClientsName() {
		this.contextRunner.withUserConfiguration(NamedCustomizer.class)
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1400", "anet.clients.hsm.addresses=127.0.0.1:1500")
			.run((context) -> {
				assertThat(context.getBean("hsmAnetBroker", Broker.class).pools().config().capacity()).isEqualTo(2);
				assertThat(context.getBean("hsmAnetBroker", Broker.class).config().workers()).isEqualTo(1);
				assertThat(context.getBean("anetBroker", Broker.class).pools().config().capacity()).isEqualTo(8);
				assertThat(context.getBean(NamedCustomizer.class).names).contains("default", "hsm");
			});
	}

	@Test
	void whenAClientsNameHasADashOrCapitalsThenItIsKeptAsWritten() {
		this.contextRunner
			.withPropertyValues("anet.clients.card-host.addresses=127.0.0.1:1500",
					"anet.clients.card-host.pool.capacity=2", "anet.clients.fraudCheck.addresses=127.0.0.1:1600")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AnetClients clients = context.getBean(AnetClients.class);
				assertThat(clients.names()).containsExactlyInAnyOrder("card-host", "fraudCheck");
				assertThat(context.getBean("card-hostAnetBroker", Broker.class).pools().config().capacity()).isEqualTo(2);
				assertThat(clients.broker("fraudCheck").pools().addresses()).containsExactly("127.0.0.1:1600");
			});
	}

	@Test
	void whenTheUserDefinesAnetClientsThenItIsUsed() {
		AnetClients mine = new AnetClients(Map.of());
		this.contextRunner.withBean(AnetClients.class, () -> mine)
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500")
			.run((context) -> assertThat(context).getBean(AnetClients.class).isSameAs(mine));
	}

	@Test
	void whenABalancingIsUnknownThenStartupFailsNamingTheKey() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500", "anet.clients.hsm.balancing=random")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("anet.clients.hsm.balancing")
				.hasStackTraceContaining("random"));
	}

	@Test
	void whenAClientNamesAnUnknownSslBundleThenStartupFailsNamingTheClientsSslKey() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500", "anet.clients.hsm.ssl.bundle=missing")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = invalidProperty(context.getStartupFailure());
				assertThat(failure.getName()).isEqualTo("anet.clients.hsm.ssl.bundle");
				assertThat(failure.getValue()).isEqualTo("missing");
			});
	}

	@Test
	void whenOnlyTheDefaultsUseTlsThenANamedClientInheritsIt() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500", "anet.pool.ssl.enabled=true")
			.run((context) -> assertThat(context.getBean(AnetClients.class).broker("hsm").pools().config().tls())
				.as("TLS from anet.pool.ssl with the JDK's default trust store")
				.isNotNull());
	}

	@Test
	void whenAClientHasNoAddressesThenStartupFailsNamingTheClientAndTheKey() {
		this.contextRunner.withPropertyValues("anet.clients.hsm.pool.capacity=2").run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = invalidProperty(context.getStartupFailure());
			assertThat(failure.getName()).isEqualTo("anet.clients.hsm.addresses");
			assertThat(failure).hasMessageContaining("anet client 'hsm' needs at least one address");
		});
	}

	@Test
	void whenAClientSetsABadValueThenStartupFailsNamingTheClientsKey() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500", "anet.clients.hsm.pool.capacity=0")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getName())
				.isEqualTo("anet.clients.hsm.pool.capacity"));
	}

	@Test
	void whenAnInheritedValueIsBadThenStartupFailsNamingItsOwnKey() {
		this.contextRunner
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500", "anet.broker.queue-size=0")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getName())
				.isEqualTo("anet.broker.queue-size"));
	}

	@Test
	void whenAClientAddressIsBadThenStartupFailsNamingItsKey() {
		this.contextRunner.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:1500,nope")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getName())
				.isEqualTo("anet.clients.hsm.addresses[1]"));
	}

	@Test
	void whenAClientIsNamedDefaultThenStartupFails() {
		this.contextRunner.withPropertyValues("anet.clients.default.addresses=127.0.0.1:1500")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getName())
				.isEqualTo("anet.clients.default"));
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		@Bean
		QualifiedUser qualifiedUser(@Qualifier("hsm") Broker hsm) {
			return new QualifiedUser(hsm);
		}

	}

	record QualifiedUser(Broker hsm) {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHsmBroker {

		@Bean(destroyMethod = "close")
		Broker hsmAnetBroker() {
			return new Broker(PoolGroup.of(List.of("127.0.0.1:1999"), PoolConfig.defaults()), BrokerConfig.defaults());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NamedCustomizer implements AnetClientCustomizer {

		final List<String> names = new ArrayList<>();

		@Override
		public void customizePool(String client, PoolConfig.Builder builder) {
			this.names.add(client);
			if (client.equals("hsm")) {
				builder.capacity(2);
			}
		}

		@Override
		public void customizeBroker(String client, BrokerConfig.Builder builder) {
			if (client.equals("hsm")) {
				builder.workers(1);
			}
		}

	}

}
