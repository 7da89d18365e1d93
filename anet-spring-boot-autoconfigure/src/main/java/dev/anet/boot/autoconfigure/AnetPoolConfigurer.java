package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.Assert;

/**
 * Copies {@code anet.pool.*} onto a {@link PoolConfig.Builder}. Use it to build a pool group of
 * your own with the application's properties.
 */
public class AnetPoolConfigurer {

	private final AnetProperties.Pool properties;

	private final String prefix;

	private String sslPrefix;

	private @Nullable SslBundles sslBundles;

	private @Nullable TlsConfig tls;

	private boolean tlsResolved;

	/**
	 * Create a configurer of the given properties.
	 * @param properties the {@code anet.pool} properties
	 */
	public AnetPoolConfigurer(AnetProperties.Pool properties) {
		this(properties, "anet.pool");
	}

	/**
	 * Create a configurer of the given properties, naming keys under the given prefix in its
	 * errors.
	 * @param properties the properties
	 * @param prefix their prefix, such as {@code anet.clients.hsm.pool}
	 */
	public AnetPoolConfigurer(AnetProperties.Pool properties, String prefix) {
		Assert.notNull(properties, "'properties' must not be null");
		Assert.hasText(prefix, "'prefix' must not be empty");
		this.properties = properties;
		this.prefix = prefix;
		this.sslPrefix = prefix + ".ssl";
	}

	/**
	 * Name the keys of the TLS properties in errors under this prefix (a named client's are
	 * {@code anet.clients.<name>.ssl}).
	 * @param sslPrefix the prefix
	 */
	void setSslPrefix(String sslPrefix) {
		this.sslPrefix = sslPrefix;
	}

	/**
	 * Set the SSL bundles that {@code anet.pool.ssl.bundle} names.
	 * @param sslBundles the bundles, or {@code null} if the application has none
	 */
	public void setSslBundles(@Nullable SslBundles sslBundles) {
		this.sslBundles = sslBundles;
	}

	/**
	 * Return the TLS configuration of {@code anet.pool.ssl.*}, resolved once.
	 * @return the configuration, or {@code null} when TLS is off
	 * @throws InvalidConfigurationPropertyValueException if the bundle is unknown
	 */
	public @Nullable TlsConfig tls() {
		if (!this.tlsResolved) {
			this.tls = AnetTls.client(this.properties.getSsl(), this.sslBundles, this.sslPrefix);
			this.tlsResolved = true;
		}
		return this.tls;
	}

	/**
	 * Parse {@code anet.pool.addresses}.
	 * @return the addresses, in order
	 * @throws InvalidConfigurationPropertyValueException naming the key if an address is not
	 * {@code host:port}
	 */
	public List<InetSocketAddress> addresses() {
		return addresses(null);
	}

	/**
	 * Return whether an address still holds a {@code ${...}} placeholder that binding could not
	 * resolve yet, such as {@code 127.0.0.1:${local.anet.server.port}} before the server bound.
	 * Such addresses are resolved with {@link #addresses(PropertyResolver)} when the first
	 * connection is needed.
	 * @return whether the addresses must be resolved later
	 */
	public boolean hasPlaceholders() {
		return this.properties.getAddresses().stream().anyMatch((address) -> address.contains("${"));
	}

	/**
	 * Resolve the {@code ${...}} placeholders of {@code anet.pool.addresses} and parse them.
	 * @param resolver resolves the placeholders, typically the environment; {@code null} to
	 * parse the addresses as they are
	 * @return the addresses, in order
	 * @throws InvalidConfigurationPropertyValueException naming the key if a placeholder cannot
	 * be resolved or an address is not {@code host:port}
	 */
	public List<InetSocketAddress> addresses(@Nullable PropertyResolver resolver) {
		List<String> addresses = this.properties.getAddresses();
		List<InetSocketAddress> parsed = new ArrayList<>(addresses.size());
		for (int i = 0; i < addresses.size(); i++) {
			String address = addresses.get(i);
			try {
				String resolved = (resolver != null) ? resolver.resolveRequiredPlaceholders(address) : address;
				parsed.add(Addresses.parse(resolved));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(this.prefix + ".addresses[" + i + "]", address,
						InvalidAnetProperty.sentence(ex.getMessage()), ex);
			}
		}
		return parsed;
	}

	/**
	 * Copy the properties onto the builder.
	 * @param builder the builder
	 * @throws InvalidConfigurationPropertyValueException naming the key of a value the core
	 * refuses
	 */
	public void configure(PoolConfig.Builder builder) {
		InvalidAnetProperty.build(this.prefix, this.properties, () -> map(PoolConfig.builder()).build());
		map(builder);
	}

	private PoolConfig.Builder map(PoolConfig.Builder builder) {
		AnetProperties.Pool pool = this.properties;
		PropertyMapper map = PropertyMapper.get();
		map.from(pool::getCapacity).to(builder::capacity);
		map.from(pool::getDialTimeout).to(builder::dialTimeout);
		map.from(pool::getIdleTimeout).to(builder::idleTimeout);
		map.from(pool::getValidationInterval).to(builder::validationInterval);
		map.from(pool::getValidationStrategy).to(builder::validationStrategy);
		map.from(pool::getValidationTimeout).to(builder::validationTimeout);
		map.from(pool::getMaxValidationAttempts).to(builder::maxValidationAttempts);
		map.from(pool::getKeepAliveInterval).to(builder::keepAliveInterval);
		map.from(pool::isNoDelay).to(builder::noDelay);
		builder.tls(tls());
		return builder;
	}

}
