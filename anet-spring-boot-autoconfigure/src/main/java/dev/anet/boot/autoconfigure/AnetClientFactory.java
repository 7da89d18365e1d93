package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.BrokerInterceptor;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.StringUtils;

/**
 * Makes the pool group and the broker of one named client from {@code anet.clients.<name>.*},
 * with the values it does not set taken from {@code anet.pool.*} and {@code anet.broker.*}.
 */
final class AnetClientFactory {

	private static final Logger logger = LoggerFactory.getLogger(AnetClientFactory.class);

	private final String name;

	private final String prefix;

	private final Environment environment;

	private final ConfigurableListableBeanFactory beanFactory;

	AnetClientFactory(String name, Environment environment, ConfigurableListableBeanFactory beanFactory) {
		this.name = name;
		this.prefix = "anet.clients." + name;
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	/**
	 * Bind the client's properties onto the defaults' values, so that only the keys the client
	 * sets override {@code anet.pool.*} and {@code anet.broker.*}.
	 * @param environment the environment
	 * @param name the client's name
	 * @return the properties
	 */
	static AnetClientProperties bind(Environment environment, String name) {
		Binder binder = Binder.get(environment);
		AnetClientProperties properties = new AnetClientProperties();
		binder.bind("anet.pool", Bindable.ofInstance(properties.getPool()));
		binder.bind("anet.broker", Bindable.ofInstance(properties.getBroker()));
		// a map key as written (fraudCheck) matches its canonical, lower-case form (fraudcheck)
		String key = "anet.clients." + name.toLowerCase(Locale.ROOT);
		ConfigurationPropertyName client = ConfigurationPropertyName.isValid(key) ? ConfigurationPropertyName.of(key)
				: ConfigurationPropertyName.of("anet.clients").append("[" + name + "]");
		binder.bind(client, Bindable.ofInstance(properties));
		// anet.clients.<name>.ssl.* (as DESIGN names them) over anet.pool.ssl.*
		binder.bind(client.append("ssl"), Bindable.ofInstance(properties.getPool().getSsl()));
		return properties;
	}

	Broker broker() {
		AnetClientProperties properties = bind(this.environment, this.name);
		checkDefaults();
		AnetProperties.Pool addresses = new AnetProperties.Pool();
		addresses.setAddresses(properties.getAddresses());
		AnetPoolConfigurer addressesConfigurer = new AnetPoolConfigurer(addresses, this.prefix);
		String serviceId = properties.getDiscovery().getServiceId();
		if (properties.getAddresses().isEmpty() && !StringUtils.hasText(serviceId)) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".addresses", null,
					"anet client '" + this.name + "' needs at least one address, or "
							+ this.prefix + ".discovery.service-id.");
		}
		AnetClientDiscovery discovery = StringUtils.hasText(serviceId) ? discovery(properties.getDiscovery()) : null;
		PoolConfig.Builder poolBuilder = PoolConfig.builder();
		AnetPoolConfigurer poolConfigurer = new AnetPoolConfigurer(properties.getPool(), this.prefix + ".pool");
		poolConfigurer.setSslPrefix(this.prefix + ".ssl");
		poolConfigurer.setSslBundles(this.beanFactory.getBeanProvider(SslBundles.class).getIfAvailable());
		poolConfigurer.configure(poolBuilder);
		customizers().forEach((customizer) -> customizer.customizePool(this.name, poolBuilder));
		PoolListener poolListener = AnetListeners.pool(this.beanFactory, this.name);
		PoolGroup pools;
		List<InetSocketAddress> discovered = (discovery != null) ? discover(discovery, serviceId) : List.of();
		if (!discovered.isEmpty()) {
			pools = new PoolGroup(discovered, poolBuilder.build(), poolListener, properties.getBalancing());
		}
		else if (discovery != null && properties.getAddresses().isEmpty()) {
			// no instance yet: asked again at the first request, and at every refresh
			pools = PoolGroup.lazy(() -> required(discovery, serviceId), poolBuilder.build(), poolListener,
					properties.getBalancing());
		}
		else if (addressesConfigurer.hasPlaceholders()) {
			Supplier<List<InetSocketAddress>> resolve = () -> addressesConfigurer.addresses(this.environment);
			pools = PoolGroup.lazy(resolve, poolBuilder.build(), poolListener, properties.getBalancing());
		}
		else {
			pools = new PoolGroup(addressesConfigurer.addresses(), poolBuilder.build(), poolListener,
					properties.getBalancing());
		}
		try {
			Broker broker = new Broker(pools, brokerConfig(properties), AnetListeners.broker(this.beanFactory, this.name));
			if (discovery != null) {
				discovery.track(this.name, serviceId, properties.getDiscovery().getRefreshInterval(), pools);
			}
			return broker;
		}
		catch (RuntimeException ex) {
			pools.close();
			throw ex;
		}
	}

	private AnetClientDiscovery discovery(AnetClientProperties.Discovery properties) {
		Duration interval = properties.getRefreshInterval();
		if (interval == null || interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".discovery.refresh-interval",
					(interval != null) ? InvalidAnetProperty.format(interval) : null, "Must be greater than 0.");
		}
		AnetClientDiscovery discovery = this.beanFactory.getBeanProvider(AnetClientDiscovery.class).getIfAvailable();
		if (discovery == null) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".discovery.service-id",
					properties.getServiceId(), "Discovery needs spring-cloud-commons on the class path (and a "
							+ "DiscoveryClient), or an AnetClientDiscovery bean.");
		}
		return discovery;
	}

	private List<InetSocketAddress> discover(AnetClientDiscovery discovery, String serviceId) {
		try {
			return discovery.addresses(serviceId);
		}
		catch (RuntimeException ex) {
			logger.warn("anet client '{}': reading the instances of service '{}' failed at start", this.name,
					serviceId, ex);
			return List.of();
		}
	}

	private List<InetSocketAddress> required(AnetClientDiscovery discovery, String serviceId) {
		List<InetSocketAddress> addresses = discovery.addresses(serviceId);
		if (addresses.isEmpty()) {
			throw new IllegalStateException("Service '" + serviceId + "' of anet client '" + this.name
					+ "' has no instances in discovery");
		}
		return addresses;
	}

	private BrokerConfig brokerConfig(AnetClientProperties properties) {
		AnetBrokerConfigurer configurer = new AnetBrokerConfigurer(properties.getBroker(), this.prefix + ".broker");
		if (Threading.VIRTUAL.isActive(this.environment)) {
			configurer.setThreadFactory(new VirtualThreadTaskExecutor("anet-" + this.name + "-broker-")
				.getVirtualThreadFactory());
		}
		BrokerConfig.Builder builder = BrokerConfig.builder();
		configurer.configure(builder);
		// the same interceptors as the default client (observation, wire log, the application's)
		builder.interceptors(this.beanFactory.getBeanProvider(BrokerInterceptor.class).orderedStream().toList());
		customizers().forEach((customizer) -> customizer.customizeBroker(this.name, builder));
		return builder.build();
	}

	/** A bad inherited value is named by its own key, {@code anet.pool.*} or {@code anet.broker.*}. */
	private void checkDefaults() {
		Binder binder = Binder.get(this.environment);
		AnetProperties.Pool pool = binder.bindOrCreate("anet.pool", AnetProperties.Pool.class);
		new AnetPoolConfigurer(pool).configure(PoolConfig.builder());
		AnetProperties.Broker broker = binder.bindOrCreate("anet.broker", AnetProperties.Broker.class);
		new AnetBrokerConfigurer(broker).configure(BrokerConfig.builder());
	}

	private Stream<AnetClientCustomizer> customizers() {
		return this.beanFactory.getBeanProvider(AnetClientCustomizer.class).orderedStream();
	}

}
