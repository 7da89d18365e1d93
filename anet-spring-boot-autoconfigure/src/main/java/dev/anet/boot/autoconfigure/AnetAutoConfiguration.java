package dev.anet.boot.autoconfigure;

import dev.anet.boot.event.AnetEventPublisher;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.BrokerInterceptor;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.HandlerInterceptor;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for anet.
 *
 * <ul>
 * <li>Client: when {@code anet.pool.addresses} is set (or there is an
 * {@link AnetConnectionDetails} bean, which then gives the addresses), a {@link PoolGroup} and a {@link Broker}
 * (which owns the group and closes it on shutdown). Addresses with a placeholder binding could not
 * resolve (such as {@code ${local.anet.server.port}}) are resolved when the first connection is
 * needed ({@link PoolGroup#lazy}), so that a broker can call the application's own server on
 * port 0. Properties go through
 * {@link AnetPoolConfigurer} and {@link AnetBrokerConfigurer}, then every
 * {@link AnetPoolCustomizer} and {@link AnetBrokerCustomizer} in order, then every
 * {@link AnetClientCustomizer} (told {@value AnetClients#DEFAULT}). Every
 * {@link BrokerInterceptor} bean runs around each send, in bean order.</li>
 * <li>Named clients ({@code anet.clients.<name>}): see {@link AnetClientsAutoConfiguration}.</li>
 * <li>Server: unless {@code anet.server.enabled=false} or there is an {@link AnetServer} bean,
 * the {@link AnetHandlerRegistrar} that finds {@code @AnetHandler} handlers and the
 * {@link AnetServerLifecycle} that serves them. Properties go through
 * {@link AnetServerConfigurer}, then every {@link AnetServerCustomizer} in order. Every
 * {@link HandlerInterceptor} bean runs around each handler run, in bean order (the first
 * outermost).</li>
 * <li>Connections opened and closed are published as {@code AnetConnectionOpenedEvent}s and
 * {@code AnetConnectionClosedEvent}s ({@link AnetEventPublisher}), and the server's start as an
 * {@code AnetServerStartedEvent}.</li>
 * <li>With {@code spring.threads.virtual.enabled=true} on Java 21+, the broker's and the server's
 * threads are virtual threads from Spring's {@link VirtualThreadTaskExecutor}.</li>
 * <li>TLS: {@code anet.pool.ssl.*} and {@code anet.server.ssl.*}, with the named
 * {@link SslBundles SSL bundle} (see {@code AnetTls}).</li>
 * </ul>
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@EnableConfigurationProperties(AnetProperties.class)
public final class AnetAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AnetEventPublisher anetEventPublisher(ApplicationEventPublisher publisher) {
		return new AnetEventPublisher(publisher);
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnDefaultClientCondition.class)
	static class ClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AnetPoolConfigurer anetPoolConfigurer(AnetProperties properties, ObjectProvider<SslBundles> sslBundles) {
			AnetPoolConfigurer configurer = new AnetPoolConfigurer(properties.getPool());
			configurer.setSslBundles(sslBundles.getIfAvailable());
			return configurer;
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnThreading(Threading.PLATFORM)
		AnetBrokerConfigurer anetBrokerConfigurer(AnetProperties properties) {
			return new AnetBrokerConfigurer(properties.getBroker());
		}

		@Bean(name = "anetBrokerConfigurer")
		@ConditionalOnMissingBean
		@ConditionalOnThreading(Threading.VIRTUAL)
		AnetBrokerConfigurer anetBrokerConfigurerVirtualThreads(AnetProperties properties) {
			AnetBrokerConfigurer configurer = new AnetBrokerConfigurer(properties.getBroker());
			configurer.setThreadFactory(new VirtualThreadTaskExecutor("anet-broker-").getVirtualThreadFactory());
			return configurer;
		}

		@Bean
		@ConditionalOnMissingBean(AnetConnectionDetails.class)
		PropertiesAnetConnectionDetails anetConnectionDetails(AnetProperties properties, Environment environment) {
			return new PropertiesAnetConnectionDetails(properties.getPool(), environment);
		}

		@Bean
		@ConditionalOnMissingBean
		PoolGroup anetPoolGroup(AnetPoolConfigurer configurer, AnetConnectionDetails connectionDetails,
				ObjectProvider<AnetPoolCustomizer> customizers, ObjectProvider<AnetClientCustomizer> clientCustomizers,
				ConfigurableListableBeanFactory beanFactory) {
			PoolConfig.Builder builder = PoolConfig.builder();
			configurer.configure(builder);
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			clientCustomizers.orderedStream()
				.forEach((customizer) -> customizer.customizePool(AnetClients.DEFAULT, builder));
			PoolListener listener = AnetListeners.pool(beanFactory, AnetClients.DEFAULT);
			if (connectionDetails instanceof PropertiesAnetConnectionDetails properties && properties.hasPlaceholders()) {
				// such as ${local.anet.server.port}: known once the server bound, so resolved on first use
				return PoolGroup.lazy(connectionDetails::getAddresses, builder.build(), listener);
			}
			return new PoolGroup(connectionDetails.getAddresses(), builder.build(), listener);
		}

		@Bean
		@ConditionalOnMissingBean
		Broker anetBroker(PoolGroup pools, AnetBrokerConfigurer configurer,
				ObjectProvider<AnetBrokerCustomizer> customizers, ObjectProvider<AnetClientCustomizer> clientCustomizers,
				ObjectProvider<BrokerInterceptor> interceptors, ConfigurableListableBeanFactory beanFactory) {
			BrokerConfig.Builder builder = BrokerConfig.builder();
			configurer.configure(builder);
			builder.interceptors(interceptors.orderedStream().toList());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			clientCustomizers.orderedStream()
				.forEach((customizer) -> customizer.customizeBroker(AnetClients.DEFAULT, builder));
			return new Broker(pools, builder.build(), AnetListeners.broker(beanFactory, AnetClients.DEFAULT));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "anet.server.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean(AnetServer.class)
	static class ServerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static AnetHandlerRegistrar anetHandlerRegistrar() {
			return new AnetHandlerRegistrar();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnThreading(Threading.PLATFORM)
		AnetServerConfigurer anetServerConfigurer(AnetProperties properties, ObjectProvider<SslBundles> sslBundles) {
			AnetServerConfigurer configurer = new AnetServerConfigurer(properties.getServer());
			configurer.setSslBundles(sslBundles.getIfAvailable());
			return configurer;
		}

		@Bean(name = "anetServerConfigurer")
		@ConditionalOnMissingBean
		@ConditionalOnThreading(Threading.VIRTUAL)
		AnetServerConfigurer anetServerConfigurerVirtualThreads(AnetProperties properties,
				ObjectProvider<SslBundles> sslBundles) {
			AnetServerConfigurer configurer = new AnetServerConfigurer(properties.getServer());
			configurer.setSslBundles(sslBundles.getIfAvailable());
			configurer.setThreadFactory(new VirtualThreadTaskExecutor("anet-server-").getVirtualThreadFactory());
			return configurer;
		}

		@Bean
		@ConditionalOnMissingBean
		AnetServerLifecycle anetServerLifecycle(AnetServerConfigurer configurer,
				ObjectProvider<AnetServerCustomizer> customizers, ObjectProvider<ServerListener> listeners,
				AnetHandlerRegistrar registrar, AnetProperties properties, ApplicationContext context,
				ObjectProvider<HandlerInterceptor> interceptors) {
			ServerConfig.Builder builder = ServerConfig.builder();
			configurer.configure(builder);
			builder.interceptors(interceptors.orderedStream().toList());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return new AnetServerLifecycle(builder.build(), registrar, AnetListeners.server(listeners),
					properties.getServer().getEnabled(), context);
		}

	}

	/**
	 * The default client exists when {@code anet.pool.addresses} is set or there is an
	 * {@link AnetConnectionDetails} bean.
	 */
	static final class OnDefaultClientCondition extends AnyNestedCondition {

		OnDefaultClientCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@Conditional(OnPoolAddressesCondition.class)
		static final class HasAddresses {

		}

		@ConditionalOnBean(AnetConnectionDetails.class)
		static final class HasConnectionDetails {

		}

	}

}
