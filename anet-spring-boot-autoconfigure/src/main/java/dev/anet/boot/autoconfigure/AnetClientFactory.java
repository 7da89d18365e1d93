package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Makes the pool group and the broker of one named client from {@code anet.clients.<name>.*},
 * with the values it does not set taken from {@code anet.pool.*} and {@code anet.broker.*}.
 */
final class AnetClientFactory {

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
		binder.bind("anet.clients." + name, Bindable.ofInstance(properties));
		return properties;
	}

	Broker broker() {
		AnetClientProperties properties = bind(this.environment, this.name);
		checkDefaults();
		AnetProperties.Pool addresses = new AnetProperties.Pool();
		addresses.setAddresses(properties.getAddresses());
		AnetPoolConfigurer addressesConfigurer = new AnetPoolConfigurer(addresses, this.prefix);
		if (properties.getAddresses().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(this.prefix + ".addresses", null,
					"anet client '" + this.name + "' needs at least one address, or "
							+ this.prefix + ".discovery.service-id.");
		}
		PoolConfig.Builder poolBuilder = PoolConfig.builder();
		new AnetPoolConfigurer(properties.getPool(), this.prefix + ".pool").configure(poolBuilder);
		customizers().forEach((customizer) -> customizer.customizePool(this.name, poolBuilder));
		PoolListener poolListener = AnetListeners.pool(this.beanFactory, this.name);
		PoolGroup pools;
		if (addressesConfigurer.hasPlaceholders()) {
			Supplier<List<InetSocketAddress>> resolve = () -> addressesConfigurer.addresses(this.environment);
			pools = PoolGroup.lazy(resolve, poolBuilder.build(), poolListener, properties.getBalancing());
		}
		else {
			pools = new PoolGroup(addressesConfigurer.addresses(), poolBuilder.build(), poolListener,
					properties.getBalancing());
		}
		try {
			return new Broker(pools, brokerConfig(properties),
					AnetListeners.broker(this.beanFactory, this.name));
		}
		catch (RuntimeException ex) {
			pools.close();
			throw ex;
		}
	}

	private BrokerConfig brokerConfig(AnetClientProperties properties) {
		AnetBrokerConfigurer configurer = new AnetBrokerConfigurer(properties.getBroker(), this.prefix + ".broker");
		if (Threading.VIRTUAL.isActive(this.environment)) {
			configurer.setThreadFactory(new VirtualThreadTaskExecutor("anet-" + this.name + "-broker-")
				.getVirtualThreadFactory());
		}
		BrokerConfig.Builder builder = BrokerConfig.builder();
		configurer.configure(builder);
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
