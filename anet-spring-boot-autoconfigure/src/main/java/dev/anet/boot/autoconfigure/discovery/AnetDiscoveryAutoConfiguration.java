package dev.anet.boot.autoconfigure.discovery;

import dev.anet.boot.autoconfigure.AnetClientDiscovery;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the addresses of named anet clients
 * from Spring Cloud's {@link DiscoveryClient} ({@code anet.clients.<name>.discovery.service-id}),
 * when {@code spring-cloud-commons} is on the class path.
 */
@AutoConfiguration(before = AnetClientsAutoConfiguration.class)
@ConditionalOnClass(DiscoveryClient.class)
public final class AnetDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(AnetClientDiscovery.class)
	DiscoveryClientAnetClientDiscovery anetClientDiscovery(ObjectProvider<DiscoveryClient> discoveryClient) {
		return new DiscoveryClientAnetClientDiscovery(discoveryClient);
	}

}
