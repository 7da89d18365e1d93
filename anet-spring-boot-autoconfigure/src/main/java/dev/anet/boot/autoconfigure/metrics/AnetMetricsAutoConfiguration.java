package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetHandlerRegistrar;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
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
 * server are given. When anet's observations are on ({@code AnetObservationAutoConfiguration}),
 * the {@code anet.broker.requests} and {@code anet.server.requests} timers come from them, and
 * {@link AnetMetrics} does not register its own.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		after = AnetAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class AnetMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AnetMetrics anetMetrics(ObjectProvider<PoolGroup> pools, ObjectProvider<Broker> broker,
			ObjectProvider<AnetServerLifecycle> lifecycle, ObjectProvider<AnetServer> servers,
			ObjectProvider<AnetHandlerRegistrar> registrar, ListableBeanFactory beanFactory) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		// with anet's observations on, they make the request timers (same names and tags); looked
		// up by name so that the observation registry is not created here, inside the meter registry's
		boolean requestTimers = beanFactory.getBeanNamesForType(ObservationBrokerInterceptor.class, true, false).length == 0;
		return new AnetMetrics(pools::getIfUnique, broker::getIfUnique, lookup.server(),
				AnetServers.routes(registrar), requestTimers);
	}

}
