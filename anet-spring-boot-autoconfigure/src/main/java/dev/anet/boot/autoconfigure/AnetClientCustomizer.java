package dev.anet.boot.autoconfigure;

import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;

/**
 * Callback to customize the configuration of every auto-configured client, named
 * ({@code anet.clients.<name>}) or the default one ({@code anet.pool.addresses}, called
 * {@value AnetClients#DEFAULT}), after its properties were applied. The callback is told the
 * client's name. Every bean of this type is called, in
 * {@link org.springframework.core.annotation.Order order}; for the default client, after the
 * {@link AnetPoolCustomizer} and {@link AnetBrokerCustomizer} beans.
 */
public interface AnetClientCustomizer {

	/**
	 * Customize the pool configuration of a client.
	 * @param client the client's name
	 * @param builder the builder, with the properties already applied
	 */
	default void customizePool(String client, PoolConfig.Builder builder) {
	}

	/**
	 * Customize the broker configuration of a client.
	 * @param client the client's name
	 * @param builder the builder, with the properties already applied
	 */
	default void customizeBroker(String client, BrokerConfig.Builder builder) {
	}

}
