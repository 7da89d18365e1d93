package dev.anet.boot.autoconfigure;

import dev.anet.broker.Broker;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the named anet clients,
 * {@code anet.clients.<name>.*}: for each, a {@link Broker} bean {@code <name>AnetBroker} with
 * qualifier {@code <name>} over its own pool group; an {@link AnetClients} bean that finds a
 * client by name, the default client included. With named clients, the default client's broker
 * and pool group ({@link AnetAutoConfiguration}) are {@code @Primary}. It comes after
 * {@link AnetAutoConfiguration} so that the default client's {@code @ConditionalOnMissingBean}
 * does not take the named brokers for a user's broker.
 * @see AnetClientsRegistrar
 */
@AutoConfiguration(after = AnetAutoConfiguration.class)
@Import(AnetClientsRegistrar.class)
public final class AnetClientsAutoConfiguration {

}
