package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;

import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link AnetConnectionDetails} of the default client.
 */
class AnetConnectionDetailsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class));

	@Test
	void whenAddressesAreSetThenConnectionDetailsComeFromTheProperties() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500").run((context) -> {
			assertThat(context).hasSingleBean(PropertiesAnetConnectionDetails.class);
			assertThat(context.getBean(AnetConnectionDetails.class).getAddresses())
				.containsExactly(new InetSocketAddress("127.0.0.1", 1500));
		});
	}

	@Test
	void whenTheUserDefinesConnectionDetailsThenTheyReplaceTheProperties() {
		this.contextRunner.withUserConfiguration(UserConnectionDetails.class)
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PropertiesAnetConnectionDetails.class);
				assertThat(context.getBean(PoolGroup.class).addresses()).containsExactly("127.0.0.1:1700");
			});
	}

	@Test
	void whenTheUserDefinesConnectionDetailsWithoutAddressesThenTheDefaultClientExists() {
		this.contextRunner.withUserConfiguration(UserConnectionDetails.class).run((context) -> {
			assertThat(context).hasSingleBean(Broker.class);
			assertThat(context.getBean(Broker.class).pools().addresses()).containsExactly("127.0.0.1:1700");
			assertThat(context.getBean(AnetClients.class).names()).containsExactly("default");
		});
	}

	@Test
	void whenNeitherAddressesNorConnectionDetailsThenThereIsNoDefaultClient() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(AnetConnectionDetails.class)
			.doesNotHaveBean(PoolGroup.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetails {

		@Bean
		AnetConnectionDetails anetConnectionDetails() {
			return () -> List.of(new InetSocketAddress("127.0.0.1", 1700));
		}

	}

}
