package dev.anet.boot.autoconfigure.discovery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetClientDiscovery;
import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.autoconfigure.AnetClientsAutoConfiguration;
import dev.anet.boot.autoconfigure.health.AnetHealthContributorAutoConfiguration;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Named clients whose addresses come from Spring Cloud's {@code SimpleDiscoveryClient}, with real
 * anet servers on loopback.
 */
class AnetDiscoveryIntegrationTests {

	private final List<AnetServer> servers = new ArrayList<>();

	private AnetServer a;

	private AnetServer b;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, AnetAutoConfiguration.class,
				AnetClientsAutoConfiguration.class, AnetDiscoveryAutoConfiguration.class,
				AnetHealthContributorAutoConfiguration.class))
		.withPropertyValues("anet.pool.validation-interval=0", "anet.broker.read-timeout=10s",
				"anet.server.enabled=false", "anet.clients.hsm.discovery.service-id=hsm-service");

	@BeforeEach
	void startServers() {
		this.a = server("A");
		this.b = server("B");
	}

	@AfterEach
	void stopServers() {
		this.servers.forEach(AnetServer::close);
	}

	private AnetServer server(String name) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> name.getBytes(StandardCharsets.US_ASCII));
		this.servers.add(server);
		server.start();
		return server;
	}

	@Test
	void whenTheServiceHasInstancesThenTheClientCallsThem() {
		this.contextRunner.withPropertyValues(instance(0, this.a)).run((context) -> {
			assertThat(call(hsm(context))).isEqualTo("A");
			assertThat(hsm(context).pools().addresses()).containsExactly("127.0.0.1:" + this.a.port());
		});
	}

	@Test
	void whenAnInstanceHasTheAnetPortInItsMetadataThenThatPortIsCalled() {
		this.contextRunner
			.withPropertyValues("spring.cloud.discovery.client.simple.instances.hsm-service[0].uri=http://127.0.0.1:8080",
					"spring.cloud.discovery.client.simple.instances.hsm-service[0].metadata.anet.port=" + this.b.port())
			.run((context) -> assertThat(call(hsm(context))).isEqualTo("B"));
	}

	@Test
	void whenTheInstancesChangeUnderLoadThenEveryRequestSucceedsAndReachesTheNewInstances() throws Exception {
		this.contextRunner.withPropertyValues(instance(0, this.a)).run((context) -> {
			Broker hsm = hsm(context);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger failures = new AtomicInteger();
			AtomicReference<Throwable> firstFailure = new AtomicReference<>();
			Set<String> seen = ConcurrentHashMap.newKeySet();
			AtomicReference<String> last = new AtomicReference<>();
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				Thread caller = new Thread(() -> {
					while (running.get()) {
						try {
							String answer = call(hsm);
							seen.add(answer);
							last.set(answer);
						}
						catch (RuntimeException ex) {
							failures.incrementAndGet();
							firstFailure.compareAndSet(null, ex);
						}
					}
				}, "caller-" + i);
				caller.start();
				callers.add(caller);
			}
			try {
				await().until(() -> seen.contains("A"));
				for (int round = 0; round < 3; round++) {
					setInstances(context, this.b);
					await().atMost(Duration.ofSeconds(20))
						.until(() -> hsm.pools().addresses().equals(List.of("127.0.0.1:" + this.b.port())));
					await().until(() -> "B".equals(last.get()));
					setInstances(context, this.a, this.b);
					await().until(() -> hsm.pools().addresses().size() == 2);
					setInstances(context, this.a);
					await().until(() -> hsm.pools().addresses().equals(List.of("127.0.0.1:" + this.a.port())));
					await().until(() -> "A".equals(last.get()));
				}
			}
			finally {
				running.set(false);
				for (Thread caller : callers) {
					caller.join();
				}
			}
			assertThat(failures.get()).as("failures, first %s", firstFailure.get()).isZero();
		});
	}

	@Test
	void whenTheServiceHasNoInstancesAnyMoreThenTheLastAddressesAreKeptAndHealthSaysSo() {
		this.contextRunner.withPropertyValues(instance(0, this.a)).run((context) -> {
			assertThat(call(hsm(context))).isEqualTo("A");
			setInstances(context);
			await().until(() -> String.valueOf(discovery(context).details("hsm").get("status")).contains("no instances"));
			assertThat(hsm(context).pools().addresses()).containsExactly("127.0.0.1:" + this.a.port());
			assertThat(call(hsm(context))).isEqualTo("A");
			CompositeHealthContributor anet = context.getBean("anetHealthContributor", CompositeHealthContributor.class);
			HealthIndicator hsmHealth = (HealthIndicator) ((CompositeHealthContributor) anet.getContributor("clients"))
				.getContributor("hsm");
			Health health = hsmHealth.health();
			assertThat(health.getDetails()).containsKeys("pools", "broker", "discovery");
			assertThat(health.getDetails().get("discovery")).asString()
				.contains("serviceId=hsm-service", "instances=0", "no instances; kept the last known addresses");
		});
	}

	@Test
	void whenTheRefreshIntervalPassesThenNewInstancesAreTakenWithoutAHeartbeat() {
		this.contextRunner.withPropertyValues(instance(0, this.a), "anet.clients.hsm.discovery.refresh-interval=100ms")
			.run((context) -> {
				context.getBean(SimpleDiscoveryProperties.class).setInstances(Map.of("hsm-service", List.of(of(this.b))));
				await().until(() -> hsm(context).pools().addresses().equals(List.of("127.0.0.1:" + this.b.port())));
				assertThat(call(hsm(context))).isEqualTo("B");
			});
	}

	@Test
	void whenTheServiceHasNoInstanceAtStartThenTheFirstRequestAfterOneAppearsSucceeds() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			setInstances(context, this.b);
			assertThat(call(hsm(context))).isEqualTo("B");
		});
	}

	@Test
	void whenTheRefreshIntervalIsZeroThenStartupFailsNamingItsKey() {
		this.contextRunner.withPropertyValues(instance(0, this.a), "anet.clients.hsm.discovery.refresh-interval=0")
			.run((context) -> assertThat(invalid(context.getStartupFailure()).getName())
				.isEqualTo("anet.clients.hsm.discovery.refresh-interval"));
	}

	@Test
	void whenSpringCloudIsNotOnTheClassPathThenAServiceIdFailsNamingItsKey() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
			.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class,
					AnetDiscoveryAutoConfiguration.class))
			.withPropertyValues("anet.clients.hsm.discovery.service-id=hsm-service", "anet.server.enabled=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException failure = invalid(context.getStartupFailure());
				assertThat(failure.getName()).isEqualTo("anet.clients.hsm.discovery.service-id");
				assertThat(failure).hasMessageContaining("spring-cloud-commons");
			});
	}

	@Test
	void whenSpringCloudIsNotOnTheClassPathThenClientsWithAddressesWorkAsBefore() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
			.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetClientsAutoConfiguration.class,
					AnetDiscoveryAutoConfiguration.class))
			.withPropertyValues("anet.clients.hsm.addresses=127.0.0.1:" + this.a.port(), "anet.server.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(AnetClientDiscovery.class);
				assertThat(call(hsm(context))).isEqualTo("A");
			});
	}

	private static InvalidConfigurationPropertyValueException invalid(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in " + failure, failure);
	}

	private static String instance(int index, AnetServer server) {
		return "spring.cloud.discovery.client.simple.instances.hsm-service[" + index + "].uri=http://127.0.0.1:"
				+ server.port();
	}

	private static InstanceProperties of(AnetServer server) {
		InstanceProperties instance = new InstanceProperties();
		instance.setServiceId("hsm-service");
		instance.setUri(URI.create("http://127.0.0.1:" + server.port()));
		return instance;
	}

	private static void setInstances(AssertableApplicationContext context, AnetServer... servers) {
		List<InstanceProperties> instances = new ArrayList<>();
		for (AnetServer server : servers) {
			instances.add(of(server));
		}
		context.getBean(SimpleDiscoveryProperties.class).setInstances(Map.of("hsm-service", instances));
		context.publishEvent(new HeartbeatEvent(context, System.nanoTime()));
	}

	private static AnetClientDiscovery discovery(AssertableApplicationContext context) {
		return context.getBean(AnetClientDiscovery.class);
	}

	private static Broker hsm(AssertableApplicationContext context) {
		return context.getBean(AnetClients.class).broker("hsm");
	}

	private static String call(Broker broker) {
		return new String(broker.send("x".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
	}

}
