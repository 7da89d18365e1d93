package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.PropertyResolver;

/**
 * {@link AnetConnectionDetails} from {@code anet.pool.addresses}. Placeholders that binding could
 * not resolve (such as {@code ${local.anet.server.port}}) are resolved each time the addresses are
 * asked for.
 */
public class PropertiesAnetConnectionDetails implements AnetConnectionDetails {

	private final AnetPoolConfigurer configurer;

	private final @Nullable PropertyResolver resolver;

	/**
	 * Create the details of the given properties.
	 * @param properties the {@code anet.pool} properties
	 * @param resolver resolves the placeholders left in the addresses, typically the environment
	 */
	public PropertiesAnetConnectionDetails(AnetProperties.Pool properties, @Nullable PropertyResolver resolver) {
		this.configurer = new AnetPoolConfigurer(properties);
		this.resolver = resolver;
	}

	/**
	 * Return whether an address still holds a placeholder, to be resolved when the first
	 * connection is needed.
	 * @return whether the addresses must be resolved later
	 */
	public boolean hasPlaceholders() {
		return this.configurer.hasPlaceholders();
	}

	/**
	 * {@inheritDoc}
	 * @throws InvalidConfigurationPropertyValueException naming the key of an address that is not
	 * {@code host:port} or whose placeholder cannot be resolved
	 */
	@Override
	public List<InetSocketAddress> getAddresses() {
		return this.configurer.addresses(this.resolver);
	}

}
