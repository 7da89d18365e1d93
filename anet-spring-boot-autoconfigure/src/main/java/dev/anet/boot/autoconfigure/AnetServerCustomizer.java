package dev.anet.boot.autoconfigure;

import dev.anet.server.ServerConfig;

/**
 * Callback to customize the auto-configured server's {@link ServerConfig} after {@code anet.server.*} was
 * applied. Every bean of this type is called, in {@link org.springframework.core.annotation.Order
 * order}.
 */
@FunctionalInterface
public interface AnetServerCustomizer {

	/**
	 * Customize the configuration.
	 * @param builder the builder, with the properties already applied
	 */
	void customize(ServerConfig.Builder builder);

}
