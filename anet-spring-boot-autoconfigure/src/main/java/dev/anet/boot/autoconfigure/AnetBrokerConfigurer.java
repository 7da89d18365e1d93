package dev.anet.boot.autoconfigure;

import java.util.concurrent.ThreadFactory;

import dev.anet.broker.BrokerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.Assert;

/**
 * Copies {@code anet.broker.*}, and the thread factory (virtual threads when
 * {@code spring.threads.virtual.enabled=true}), onto a {@link BrokerConfig.Builder}.
 */
public class AnetBrokerConfigurer {

	private final AnetProperties.Broker properties;

	private final String prefix;

	private @Nullable ThreadFactory threadFactory;

	/**
	 * Create a configurer of the given properties.
	 * @param properties the {@code anet.broker} properties
	 */
	public AnetBrokerConfigurer(AnetProperties.Broker properties) {
		this(properties, "anet.broker");
	}

	/**
	 * Create a configurer of the given properties, naming keys under the given prefix in its
	 * errors.
	 * @param properties the properties
	 * @param prefix their prefix, such as {@code anet.clients.hsm.broker}
	 */
	public AnetBrokerConfigurer(AnetProperties.Broker properties, String prefix) {
		Assert.notNull(properties, "'properties' must not be null");
		Assert.hasText(prefix, "'prefix' must not be empty");
		this.properties = properties;
		this.prefix = prefix;
	}

	/**
	 * Set the factory of the broker's reader and worker threads.
	 * @param threadFactory the factory, or {@code null} for the core's named platform threads
	 */
	public void setThreadFactory(@Nullable ThreadFactory threadFactory) {
		this.threadFactory = threadFactory;
	}

	/**
	 * Copy the properties and the thread factory onto the builder.
	 * @param builder the builder
	 * @throws InvalidConfigurationPropertyValueException naming the key of a value the core
	 * refuses
	 */
	public void configure(BrokerConfig.Builder builder) {
		InvalidAnetProperty.build(this.prefix, this.properties, () -> map(BrokerConfig.builder()).build());
		map(builder).threadFactory(this.threadFactory);
	}

	private BrokerConfig.Builder map(BrokerConfig.Builder builder) {
		AnetProperties.Broker broker = this.properties;
		PropertyMapper map = PropertyMapper.get();
		map.from(broker::getWorkers).to(builder::workers);
		map.from(broker::getWriteTimeout).to(builder::writeTimeout);
		map.from(broker::getReadTimeout).to(builder::readTimeout);
		map.from(broker::getQueueSize).to(builder::queueSize);
		map.from(broker::isOptimizeMemory).to(builder::optimizeMemory);
		map.from(broker::getMaxInFlightPerConnection).to(builder::maxInFlightPerConnection);
		map.from(broker::getCloseTimeout).to(builder::closeTimeout);
		return builder;
	}

}
