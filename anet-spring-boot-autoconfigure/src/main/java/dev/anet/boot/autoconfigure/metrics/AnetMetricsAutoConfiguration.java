package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetHandlerRegistrar;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the anet meters ({@link AnetMetrics}),
 * when Micrometer is on the classpath and there is a {@link MeterRegistry}. The
 * {@link AnetMetrics} bean is also the listener that the auto-configured pool group, broker and
 * server are given.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		after = { AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class AnetMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AnetMetrics anetMetrics(ObjectProvider<PoolGroup> pools, ObjectProvider<Broker> broker,
			ObjectProvider<AnetServerLifecycle> lifecycle, ObjectProvider<AnetServer> servers,
			ObjectProvider<AnetHandlerRegistrar> registrar) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		return new AnetMetrics(pools::getIfUnique, broker::getIfUnique, lookup.server(),
				AnetServers.routes(registrar));
	}

}
