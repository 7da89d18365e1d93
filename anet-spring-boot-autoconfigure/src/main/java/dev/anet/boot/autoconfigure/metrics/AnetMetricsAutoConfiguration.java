package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetHandlerRegistrar;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the anet meters ({@link AnetMetrics}),
 * when Micrometer is on the classpath and there is a {@link MeterRegistry}. The
 * {@link AnetMetrics} bean is also the listener that the auto-configured pool group, broker and
 * server are given; it tags the default client's meters {@code client=default}. Each named client
 * ({@code anet.clients.<name>}) has its own {@link AnetMetrics}, {@code client=<name>}
 * ({@link AnetClientMetricsRegistrar}).
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		after = { AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@Import(AnetClientMetricsRegistrar.class)
public final class AnetMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Qualifier(AnetClients.DEFAULT)
	AnetMetrics anetMetrics(ObjectProvider<PoolGroup> pools, ObjectProvider<Broker> broker,
			ObjectProvider<AnetServerLifecycle> lifecycle, ObjectProvider<AnetServer> servers,
			ObjectProvider<AnetHandlerRegistrar> registrar, ObjectProvider<AnetClients> clients) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		return new AnetMetrics(pools::getIfUnique, () -> defaultBroker(broker, clients), lookup.server(),
				AnetServers.routes(registrar));
	}

	/** The default client's broker: not a named client's, even when that is the only broker. */
	private static @Nullable Broker defaultBroker(ObjectProvider<Broker> broker, ObjectProvider<AnetClients> clients) {
		AnetClients all = clients.getIfAvailable();
		if (all == null) {
			return broker.getIfUnique();
		}
		return all.names().contains(AnetClients.DEFAULT) ? all.broker(AnetClients.DEFAULT) : null;
	}

}
