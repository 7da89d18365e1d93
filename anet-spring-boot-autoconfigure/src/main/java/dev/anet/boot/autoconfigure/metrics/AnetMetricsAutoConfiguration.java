package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetHandlerRegistrar;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.broker.Broker;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
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
 * ({@link AnetClientMetricsRegistrar}). When anet's observations are on
 * ({@code AnetObservationAutoConfiguration}), the {@code anet.broker.requests} and
 * {@code anet.server.requests} timers come from them, and no {@link AnetMetrics} registers its own.
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
			ObjectProvider<AnetHandlerRegistrar> registrar, ObjectProvider<AnetClients> clients,
			ListableBeanFactory beanFactory) {
		AnetServers lookup = new AnetServers(lifecycle, servers);
		return new AnetMetrics(AnetMetrics.DEFAULT_CLIENT, pools::getIfUnique, () -> defaultBroker(broker, clients),
				lookup.server(), AnetServers.routes(registrar), requestTimers(beanFactory));
	}

	/**
	 * Whether the anet meters make the request timers: not when anet's observations are on, which
	 * make them (same names and tags). Looked up by name so that the observation registry is not
	 * created here, inside the meter registry's creation.
	 * @param beanFactory the bean factory
	 * @return whether to register the request timers
	 */
	static boolean requestTimers(ListableBeanFactory beanFactory) {
		return beanFactory.getBeanNamesForType(ObservationBrokerInterceptor.class, true, false).length == 0;
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
