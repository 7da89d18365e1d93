package dev.anet.boot.autoconfigure;

import dev.anet.pool.PoolConfig;

/**
 * Callback to customize the auto-configured pool's {@link PoolConfig} after {@code anet.pool.*} was
 * applied. Every bean of this type is called, in {@link org.springframework.core.annotation.Order
 * order}.
 */
@FunctionalInterface
public interface AnetPoolCustomizer {

	/**
	 * Customize the configuration.
	 * @param builder the builder, with the properties already applied
	 */
	void customize(PoolConfig.Builder builder);

}
