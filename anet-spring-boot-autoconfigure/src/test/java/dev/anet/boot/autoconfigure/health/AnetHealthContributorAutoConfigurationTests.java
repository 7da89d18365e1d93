package dev.anet.boot.autoconfigure.health;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.health.AnetHealthIndicator;
import dev.anet.broker.Broker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetHealthContributorAutoConfiguration}.
 */
class AnetHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(AnetAutoConfiguration.class, AnetHealthContributorAutoConfiguration.class))
		.withPropertyValues("anet.pool.addresses=127.0.0.1:1500");

	@Test
	void whenThereIsABrokerThenTheAnetContributorReportsIt() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AnetHealthIndicator.class);
			Health health = context.getBean("anetHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("pools", "broker");
		});
	}

	@Test
	void backsOffToAUserContributor() {
		this.contextRunner.withBean("anetHealthContributor", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(AnetHealthIndicator.class));
	}

	@Test
	void whenDisabledByPropertyThenThereIsNoContributor() {
		this.contextRunner.withPropertyValues("management.health.anet.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AnetHealthIndicator.class));
	}

	@Test
	void whenThereIsNoAnetPartThenThereIsNoContributor() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(AnetAutoConfiguration.class, AnetHealthContributorAutoConfiguration.class))
			.withPropertyValues("anet.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HealthContributor.class));
	}

	@Test
	void whenTheServerIsMeantToRunButHasNoHandlerThenHealthLeavesItOut() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(AnetAutoConfiguration.class, AnetHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(AnetHealthIndicator.class).health().getDetails()).isEmpty());
	}

	@Test
	void whenTheBrokerIsClosedThenTheContributorIsDownAndSaysSo() {
		this.contextRunner.run((context) -> {
			context.getBean(Broker.class).close();
			Health health = context.getBean(AnetHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("broker")).asString().contains("closed=true");
		});
	}

	@Test
	void withoutActuatorHealthOnTheClassPathEverythingElseWorks() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Broker.class)
				.doesNotHaveBean("anetHealthContributor"));
	}

}
