package dev.anet.boot.autoconfigure;

import dev.anet.broker.BrokerConfig;

/**
 * Callback to customize the auto-configured broker's {@link BrokerConfig} after {@code anet.broker.*} was
 * applied. Every bean of this type is called, in {@link org.springframework.core.annotation.Order
 * order}.
 */
@FunctionalInterface
public interface AnetBrokerCustomizer {

	/**
	 * Customize the configuration.
	 * @param builder the builder, with the properties already applied
	 */
	void customize(BrokerConfig.Builder builder);

}
