package dev.anet.boot.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.anet.broker.Broker;

import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * The auto-configured clients by name: the default client ({@code anet.pool.addresses}) as
 * {@value #DEFAULT} when there is one, then the named clients ({@code anet.clients.<name>}) in
 * the order of their properties.
 */
public class AnetClients {

	/** The name of the default client, the one of {@code anet.pool.addresses}. */
	public static final String DEFAULT = "default";

	private final Map<String, Broker> brokers;

	/**
	 * Create a lookup of the given brokers.
	 * @param brokers the brokers by client name, in order
	 */
	public AnetClients(Map<String, Broker> brokers) {
		Assert.notNull(brokers, "'brokers' must not be null");
		this.brokers = Collections.unmodifiableMap(new LinkedHashMap<>(brokers));
	}

	/**
	 * Return the names of the named clients that the environment configures, those under
	 * {@code anet.clients}.
	 * @param environment the environment
	 * @return the names, in order
	 */
	public static Set<String> configuredNames(Environment environment) {
		return AnetClientsRegistrar.names(environment);
	}

	/**
	 * Return the bean name of a named client's broker.
	 * @param client the client's name
	 * @return {@code <client>AnetBroker}
	 */
	public static String brokerBeanName(String client) {
		return AnetClientsRegistrar.brokerBeanName(client);
	}

	/**
	 * Return the broker of a client.
	 * @param name the client's name, {@value #DEFAULT} for the default client
	 * @return the broker
	 * @throws IllegalArgumentException if there is no client of that name
	 */
	public Broker broker(String name) {
		Broker broker = this.brokers.get(name);
		if (broker == null) {
			throw new IllegalArgumentException(
					"No anet client named '" + name + "'; the clients are " + this.brokers.keySet());
		}
		return broker;
	}

	/**
	 * Return the names of the clients.
	 * @return the names, in order
	 */
	public Set<String> names() {
		return this.brokers.keySet();
	}

	/**
	 * Return the brokers by client name.
	 * @return the brokers, in order
	 */
	public Map<String, Broker> brokers() {
		return this.brokers;
	}

}
