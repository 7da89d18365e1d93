package dev.anet.boot.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.health.AnetHealthIndicator;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerConnection;
import dev.anet.testsupport.TestCertificates;
import dev.anet.tls.TlsClientAuth;
import dev.anet.tls.TlsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code anet.pool.ssl.*} and {@code anet.server.ssl.*} with Spring Boot's SSL bundles.
 */
class AnetTlsAutoConfigurationTests {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AnetAutoConfiguration.class));

	private static String file(String name) {
		return "file:" + TestCertificates.dir().resolve(name);
	}

	private static String[] bundle(String bundle, String keyStore, String trustStore) {
		String prefix = "spring.ssl.bundle.jks." + bundle;
		return new String[] { prefix + ".keystore.location=" + file(keyStore), prefix + ".keystore.password=changeit",
				prefix + ".keystore.type=PKCS12", prefix + ".truststore.location=" + file(trustStore),
				prefix + ".truststore.password=changeit", prefix + ".truststore.type=PKCS12" };
	}

	@Test
	void whenNoSslPropertyIsSetThenPoolsAndServerArePlain() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500")
			.run((context) -> assertThat(context.getBean(PoolGroup.class).config().tls()).isNull());
	}

	@Test
	void whenThePoolNamesABundleThenItsContextAndOptionsAreUsed() {
		this.contextRunner.withPropertyValues(bundle("client", "client.p12", "truststore.p12"))
			.withPropertyValues("spring.ssl.bundle.jks.client.options.enabled-protocols=TLSv1.3",
					"anet.pool.addresses=127.0.0.1:1500", "anet.pool.ssl.bundle=client",
					"anet.pool.ssl.server-name=hsm.example", "anet.pool.ssl.handshake-timeout=2s")
			.run((context) -> {
				TlsConfig tls = context.getBean(PoolGroup.class).config().tls();
				assertThat(tls).isNotNull();
				assertThat(tls.isDefaultContext()).isFalse();
				assertThat(tls.protocols()).containsExactly("TLSv1.3");
				assertThat(tls.serverName()).isEqualTo("hsm.example");
				assertThat(tls.verifyHostname()).isTrue();
				assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void whenThePoolIsEnabledWithoutABundleThenTheJdkDefaultsAreUsed() {
		this.contextRunner
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.ssl.enabled=true",
					"anet.pool.ssl.verify-hostname=false")
			.run((context) -> {
				TlsConfig tls = context.getBean(PoolGroup.class).config().tls();
				assertThat(tls.isDefaultContext()).isTrue();
				assertThat(tls.verifyHostname()).isFalse();
			});
	}

	@Test
	void whenThePoolNamesAnUnknownBundleThenStartUpFailsNamingPropertyAndBundle() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1500", "anet.pool.ssl.bundle=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("anet.pool.ssl.bundle")
				.hasStackTraceContaining("No SSL bundle named 'missing'"));
	}

	@Test
	void whenTheServerIsEnabledWithoutABundleThenStartUpFailsSayingItNeedsOne() {
		this.contextRunner.withUserConfiguration(EchoConfiguration.class)
			.withPropertyValues("anet.server.port=0", "anet.server.ssl.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("anet.server.ssl.bundle"));
	}

	@Test
	void whenBrokerAndServerUseBundlesWithClientAuthNeedThenTheyTalkMutualTls() throws Exception {
		try (AnetServer server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.tls(TlsConfig.builder()
				.sslContext(TestCertificates.server())
				.clientAuth(TlsClientAuth.NEED)
				.build())
			.build(), (connection, request) -> connection.peerPrincipal().getName().getBytes(StandardCharsets.UTF_8))) {
			server.start();
			this.contextRunner.withPropertyValues(bundle("client", "client.p12", "truststore.p12"))
				.withPropertyValues("anet.pool.addresses=127.0.0.1:" + server.port(), "anet.pool.ssl.bundle=client")
				.run((context) -> assertThat(new String(context.getBean(Broker.class).send(HELLO), StandardCharsets.UTF_8))
					.isEqualTo("CN=anet test client"));
		}
	}

	@Test
	void whenTheServerUsesABundleThenItServesTlsWithTheClientAuthOfTheProperties() {
		this.contextRunner.withUserConfiguration(EchoConfiguration.class)
			.withPropertyValues(bundle("server", "server.p12", "truststore.p12"))
			.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0", "anet.server.ssl.bundle=server",
					"anet.server.ssl.client-auth=want")
			.run((context) -> {
				AnetServer server = context.getBean(AnetServerLifecycle.class).getServer();
				assertThat(server.tls().clientAuth()).isEqualTo(TlsClientAuth.WANT);
				try (Broker broker = broker(server.port(), TestCertificates.clientWithCertificate())) {
					assertThat(new String(broker.send(HELLO), StandardCharsets.UTF_8)).isEqualTo("TLSv1.3");
				}
			});
	}

	@Test
	void whenTheServersBundleIsRewrittenThenNewConnectionsUseTheNewCertificateAndOpenOnesGoOn(@TempDir Path dir)
			throws IOException {
		Path keyStore = dir.resolve("server.p12");
		Files.copy(TestCertificates.dir().resolve("server.p12"), keyStore);
		this.contextRunner.withUserConfiguration(EchoConfiguration.class)
			.withPropertyValues("spring.ssl.bundle.jks.server.keystore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.server.keystore.password=changeit",
					"spring.ssl.bundle.jks.server.keystore.type=PKCS12", "spring.ssl.bundle.jks.server.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms", "anet.server.address=127.0.0.1",
					"anet.server.port=0", "anet.server.ssl.bundle=server")
			.run((context) -> {
				int port = context.getBean(AnetServerLifecycle.class).getServer().port();
				try (Broker old = broker(port, TestCertificates.client());
						Broker renewed = broker(port, TestCertificates.context(null, "other-truststore.p12"))) {
					assertThat(old.send(HELLO)).isNotEmpty();
					assertThatThrownBy(() -> renewed.send(HELLO)).hasMessageContaining("unknown certificate authority");

					Path next = dir.resolve("next.p12");
					Files.copy(TestCertificates.dir().resolve("other-server.p12"), next);
					Files.move(next, keyStore, StandardCopyOption.REPLACE_EXISTING);

					await().atMost(Duration.ofSeconds(20))
						.ignoreExceptions()
						.untilAsserted(() -> assertThat(renewed.send(HELLO)).isNotEmpty());
					// the connection opened before the rotation goes on
					assertThat(old.send(HELLO)).isNotEmpty();
				}
			});
	}

	@Test
	void handshakesAreTimedBySideAndOutcomeAndHealthShowsTls() throws Exception {
		AtomicServer holder = new AtomicServer();
		AnetMetrics metrics = new AnetMetrics(() -> null, () -> holder.broker, () -> holder.server, (request) -> null);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (AnetServer server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.tls(TlsConfig.builder().sslContext(TestCertificates.server()).clientAuth(TlsClientAuth.WANT).build())
			.build(), (connection, request) -> request, metrics);
				Broker broker = new Broker(new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + startAndPort(server))),
						PoolConfig.builder()
							.capacity(1)
							.tls(TlsConfig.builder().sslContext(TestCertificates.client()).build())
							.build(),
						metrics), BrokerConfig.defaults())) {
			holder.server = server;
			holder.broker = broker;
			metrics.bindTo(registry);
			assertThat(broker.send(HELLO)).isEqualTo(HELLO);
			assertThat(registry.get("anet.tls.handshakes").tag("side", "client").tag("outcome", "success").timer().count())
				.isEqualTo(1);
			await().untilAsserted(() -> assertThat(registry.get("anet.tls.handshakes")
				.tag("side", "server")
				.tag("outcome", "success")
				.timer()
				.count()).isEqualTo(1));
			assertThat(registry.get("anet.tls.handshakes").tag("side", "server").tag("outcome", "failure").timer().count())
				.isZero();
			Map<String, Object> details = new AnetHealthIndicator(() -> null, () -> broker, () -> server).health()
				.getDetails();
			assertThat(details.get("server").toString()).contains("tls={protocols=default, clientAuth=want}");
			assertThat(details.get("pools").toString()).contains("tls={protocols=default, verifyHostname=true}");
		}
	}

	private static int startAndPort(AnetServer server) {
		server.start();
		return server.port();
	}

	/** What the metrics' suppliers see once made. */
	private static final class AtomicServer {

		volatile AnetServer server;

		volatile Broker broker;

	}

	private static Broker broker(int port, javax.net.ssl.SSLContext context) {
		return new Broker(new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + port)),
				PoolConfig.builder().capacity(1).tls(TlsConfig.builder().sslContext(context).build()).build(),
				PoolListener.NONE), BrokerConfig.defaults());
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoConfiguration {

		@Bean
		ProtocolHandler protocolHandler() {
			return new ProtocolHandler();
		}

	}

	/** Answers with the connection's TLS protocol. */
	@AnetHandler
	static class ProtocolHandler implements Handler {

		@Override
		public byte[] handle(ServerConnection connection, byte[] request) {
			String protocol = connection.tlsProtocol();
			return ((protocol != null) ? protocol : "plain").getBytes(StandardCharsets.UTF_8);
		}

	}

}
