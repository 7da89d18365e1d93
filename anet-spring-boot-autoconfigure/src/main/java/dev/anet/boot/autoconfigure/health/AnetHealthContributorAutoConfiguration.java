package dev.anet.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClientDiscovery;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.health.AnetHealthIndicator;
import dev.anet.boot.health.PoolReachability;
import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code anet} health contributor,
 * when Spring Boot's health support is on the classpath, there is an anet pool group, broker or
 * server, and {@code management.health.anet.enabled} is not {@code false}. With the default client
 * alone, it is one {@link AnetHealthIndicator}; with named clients
 * ({@code anet.clients.<name>}), a composite: {@code clients} with one indicator per client by
 * name ({@code default} among them; each with its addresses), and {@code server} beside it.
 */
@AutoConfiguration(after = { AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class })
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@Conditional(AnetHealthContributorAutoConfiguration.OnAnetComponentCondition.class)
public final class AnetHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("anet")
	@ConditionalOnMissingBean(name = { "anetHealthIndicator", "anetHealthContributor" })
	HealthContributor anetHealthContributor(ObjectProvider<PoolGroup> pools, ObjectProvider<Broker> broker,
			ObjectProvider<AnetServerLifecycle> lifecycle, ObjectProvider<AnetServer> servers,
			ObjectProvider<PoolReachability> reachability, ObjectProvider<AnetClients> clients,
			ObjectProvider<AnetClientDiscovery> discovery) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		PoolReachability dials = reachability.getIfUnique();
		AnetClients named = clients.getIfAvailable();
		if (named == null || named.names().equals(Set.of(AnetClients.DEFAULT))) {
			return new AnetHealthIndicator(pools::getIfUnique, broker::getIfUnique, lookup.server(), dials);
		}
		Map<String, HealthContributor> parts = new LinkedHashMap<>();
		AnetClientDiscovery discovered = discovery.getIfAvailable();
		Map<String, HealthContributor> byClient = new LinkedHashMap<>();
		named.brokers().forEach((name, client) -> {
			HealthIndicator indicator = new AnetHealthIndicator(() -> null, () -> client, () -> null, dials);
			byClient.put(name, (discovered != null) ? withDiscovery(indicator, discovered, name) : indicator);
		});
		parts.put("clients", CompositeHealthContributor.fromMap(byClient));
		if (lifecycle.getIfAvailable() != null || servers.getIfAvailable() != null) {
			parts.put("server", new AnetHealthIndicator(() -> null, () -> null, lookup.server()));
		}
		return CompositeHealthContributor.fromMap(parts);
	}

	/**
	 * A client's health with what discovery said last ({@code serviceId}, {@code instances},
	 * {@code addresses}, {@code status}), for a client whose addresses come from discovery.
	 */
	private static HealthIndicator withDiscovery(HealthIndicator indicator, AnetClientDiscovery discovery,
			String client) {
		return () -> {
			Health health = indicator.health();
			Map<String, Object> details = discovery.details(client);
			if (details == null) {
				return health;
			}
			return Health.status(health.getStatus()).withDetails(health.getDetails()).withDetail("discovery", details)
				.build();
		};
	}

	/**
	 * The dials' outcomes, a listener of the auto-configured pool group: it makes a pool address
	 * DOWN from a failed dial until a dial succeeds.
	 */
	@Bean
	@ConditionalOnEnabledHealthIndicator("anet")
	@ConditionalOnMissingBean
	static PoolReachability anetPoolReachability() {
		return new PoolReachability();
	}

	static final class OnAnetComponentCondition extends AnyNestedCondition {

		OnAnetComponentCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(PoolGroup.class)
		static final class HasPoolGroup {

		}

		@ConditionalOnBean(Broker.class)
		static final class HasBroker {

		}

		@ConditionalOnBean(AnetServerLifecycle.class)
		static final class HasServerLifecycle {

		}

		@ConditionalOnBean(AnetServer.class)
		static final class HasServer {

		}

	}

}
