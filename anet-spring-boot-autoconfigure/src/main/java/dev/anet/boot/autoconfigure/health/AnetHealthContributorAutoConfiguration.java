package dev.anet.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
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
import org.springframework.boot.health.contributor.HealthContributor;
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
			ObjectProvider<PoolReachability> reachability, ObjectProvider<AnetClients> clients) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		PoolReachability dials = reachability.getIfUnique();
		AnetClients named = clients.getIfAvailable();
		if (named == null || named.names().equals(Set.of(AnetClients.DEFAULT))) {
			return new AnetHealthIndicator(pools::getIfUnique, broker::getIfUnique, lookup.server(), dials);
		}
		Map<String, HealthContributor> parts = new LinkedHashMap<>();
		parts.put("clients", CompositeHealthContributor.fromMap(named.brokers(),
				(client) -> new AnetHealthIndicator(() -> null, () -> client, () -> null, dials)));
		if (lifecycle.getIfAvailable() != null || servers.getIfAvailable() != null) {
			parts.put("server", new AnetHealthIndicator(() -> null, () -> null, lookup.server()));
		}
		return CompositeHealthContributor.fromMap(parts);
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
