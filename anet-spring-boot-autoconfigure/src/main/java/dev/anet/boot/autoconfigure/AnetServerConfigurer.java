package dev.anet.boot.autoconfigure;

import java.util.concurrent.ThreadFactory;

import dev.anet.server.ServerConfig;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.Assert;

/**
 * Copies {@code anet.server.*}, and the thread factory (virtual threads when
 * {@code spring.threads.virtual.enabled=true}), onto a {@link ServerConfig.Builder}.
 */
public class AnetServerConfigurer {

	private static final String PREFIX = "anet.server";

	private final AnetProperties.Server properties;

	private @Nullable ThreadFactory threadFactory;

	private @Nullable SslBundles sslBundles;

	private @Nullable TlsConfig tls;

	private boolean tlsResolved;

	/**
	 * Create a configurer of the given properties.
	 * @param properties the {@code anet.server} properties
	 */
	public AnetServerConfigurer(AnetProperties.Server properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.properties = properties;
	}

	/**
	 * Set the factory of the server's accept, reader and handler threads.
	 * @param threadFactory the factory, or {@code null} for the core's named platform threads
	 */
	public void setThreadFactory(@Nullable ThreadFactory threadFactory) {
		this.threadFactory = threadFactory;
	}

	/**
	 * Set the SSL bundles that {@code anet.server.ssl.bundle} names.
	 * @param sslBundles the bundles, or {@code null} if the application has none
	 */
	public void setSslBundles(@Nullable SslBundles sslBundles) {
		this.sslBundles = sslBundles;
	}

	/**
	 * Return the TLS configuration of {@code anet.server.ssl.*}, resolved once.
	 * @return the configuration, or {@code null} when TLS is off
	 * @throws InvalidConfigurationPropertyValueException if the bundle is missing or unknown
	 */
	public @Nullable TlsConfig tls() {
		if (!this.tlsResolved) {
			this.tls = AnetTls.server(this.properties.getSsl(), this.sslBundles);
			this.tlsResolved = true;
		}
		return this.tls;
	}

	/**
	 * Copy the properties and the thread factory onto the builder.
	 * @param builder the builder
	 * @throws InvalidConfigurationPropertyValueException naming the key of a value the core
	 * refuses
	 */
	public void configure(ServerConfig.Builder builder) {
		InvalidAnetProperty.build(PREFIX, this.properties, () -> map(ServerConfig.builder()).build());
		map(builder).threadFactory(this.threadFactory);
	}

	private ServerConfig.Builder map(ServerConfig.Builder builder) {
		AnetProperties.Server server = this.properties;
		PropertyMapper map = PropertyMapper.get();
		map.from(server::getAddress).to(builder::address);
		map.from(server::getPort).to(builder::port);
		map.from(server::getReadTimeout).to(builder::readTimeout);
		map.from(server::getWriteTimeout).to(builder::writeTimeout);
		map.from(server::getIdleTimeout).to(builder::idleTimeout);
		map.from(server::getKeepAliveInterval).to(builder::keepAliveInterval);
		map.from(server::getMaxConns).to(builder::maxConns);
		map.from(server::getMaxConcurrentHandlers).to(builder::maxConcurrentHandlers);
		map.from(server::getWriteQueueDepth).to(builder::writeQueueDepth);
		map.from(server::getMaxPendingAsync).to(builder::maxPendingAsync);
		map.from(server::isReusePort).to(builder::reusePort);
		map.from(server::getShutdownTimeout).to(builder::shutdownTimeout);
		builder.tls(tls());
		return builder;
	}

}
