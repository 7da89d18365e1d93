package dev.anet.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetProperties} and its generated configuration metadata.
 */
class AnetPropertiesTests {

	/** The property names of DESIGN.md: a contract. */
	private static final List<String> KEYS = List.of("anet.pool.addresses", "anet.pool.capacity",
			"anet.pool.dial-timeout", "anet.pool.idle-timeout", "anet.pool.validation-interval",
			"anet.pool.validation-strategy", "anet.pool.validation-timeout", "anet.pool.max-validation-attempts",
			"anet.pool.keep-alive-interval", "anet.pool.no-delay", "anet.broker.workers", "anet.broker.write-timeout",
			"anet.broker.read-timeout", "anet.broker.queue-size", "anet.broker.optimize-memory",
			"anet.broker.max-in-flight-per-connection", "anet.broker.close-timeout", "anet.server.enabled",
			"anet.server.address", "anet.server.port", "anet.server.read-timeout", "anet.server.write-timeout",
			"anet.server.idle-timeout", "anet.server.keep-alive-interval", "anet.server.max-conns",
			"anet.server.max-concurrent-handlers", "anet.server.write-queue-depth", "anet.server.max-pending-async",
			"anet.server.reuse-port",
			"anet.server.shutdown-timeout", "anet.messages.charset", "anet.observations.enabled", "anet.wire-log.enabled");

	/** The TLS property names of DESIGN.md; those without a default are unset unless given. */
	private static final List<String> SSL_KEYS = List.of("anet.pool.ssl.enabled", "anet.pool.ssl.bundle",
			"anet.pool.ssl.server-name", "anet.pool.ssl.verify-hostname", "anet.pool.ssl.handshake-timeout",
			"anet.server.ssl.enabled", "anet.server.ssl.bundle", "anet.server.ssl.client-auth",
			"anet.server.ssl.handshake-timeout");

	private static final List<String> SSL_KEYS_WITH_DEFAULT = List.of("anet.pool.ssl.enabled",
			"anet.pool.ssl.verify-hostname", "anet.server.ssl.enabled", "anet.server.ssl.client-auth",
			"anet.server.ssl.handshake-timeout");

	@Test
	void poolDefaultsAreTheCoreDefaults() {
		PoolConfig.Builder builder = PoolConfig.builder();
		new AnetPoolConfigurer(new AnetProperties().getPool()).configure(builder);
		assertThat(builder.build()).isEqualTo(PoolConfig.defaults());
	}

	@Test
	void brokerDefaultsAreTheCoreDefaults() {
		BrokerConfig.Builder builder = BrokerConfig.builder();
		new AnetBrokerConfigurer(new AnetProperties().getBroker()).configure(builder);
		assertThat(builder.build()).isEqualTo(BrokerConfig.defaults());
	}

	@Test
	void serverDefaultsAreTheCoreDefaults() {
		ServerConfig.Builder builder = ServerConfig.builder();
		new AnetServerConfigurer(new AnetProperties().getServer()).configure(builder);
		assertThat(builder.build()).isEqualTo(ServerConfig.defaults());
	}

	@Test
	void metadataHasExactlyTheDesignKeysEachWithDescriptionAndDefault() throws IOException {
		Map<String, ConfigurationMetadataProperty> properties = anetMetadata().getAllProperties();
		List<String> all = new java.util.ArrayList<>(KEYS);
		all.addAll(SSL_KEYS);
		assertThat(properties.keySet()).filteredOn((key) -> key.startsWith("anet.") && !key.equals("anet.clients"))
			.containsExactlyInAnyOrderElementsOf(all);
		assertThat(properties.get("anet.clients").getDescription()).as("named clients, a map without default")
			.contains("<name>AnetBroker");
		for (String key : all) {
			assertThat(properties.get(key).getDescription()).as("description of %s", key).isNotBlank();
		}
		List<String> withDefault = new java.util.ArrayList<>(KEYS);
		withDefault.addAll(SSL_KEYS_WITH_DEFAULT);
		for (String key : withDefault) {
			assertThat(properties.get(key).getDefaultValue()).as("default of %s", key).isNotNull();
		}
		assertThat(properties.get("management.health.anet.enabled").getDefaultValue()).isEqualTo(true);
	}

	@Test
	void metadataDefaultsMatchTheCore() throws IOException {
		Map<String, ConfigurationMetadataProperty> properties = anetMetadata().getAllProperties();
		assertThat(properties.get("anet.pool.capacity").getDefaultValue()).isEqualTo(PoolConfig.DEFAULT_CAPACITY);
		assertThat(properties.get("anet.pool.validation-strategy").getDefaultValue()).isEqualTo("read");
		assertThat(properties.get("anet.broker.queue-size").getDefaultValue()).isEqualTo(BrokerConfig.DEFAULT_QUEUE_SIZE);
		assertThat(properties.get("anet.server.port").getDefaultValue()).isEqualTo(ServerConfig.DEFAULT_PORT);
		assertThat(properties.get("anet.server.idle-timeout").getDefaultValue()).isEqualTo("0s");
		assertThat(properties.get("anet.pool.addresses").getDefaultValue()).isEqualTo(new Object[0]);
	}

	private static ConfigurationMetadataRepository anetMetadata() throws IOException {
		for (URL url : Collections.list(AnetPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				if (json.contains("\"anet.pool.capacity\"")) {
					try (InputStream again = url.openStream()) {
						return ConfigurationMetadataRepositoryJsonBuilder.create(again).build();
					}
				}
			}
		}
		throw new AssertionError("No anet configuration metadata on the class path");
	}

}
