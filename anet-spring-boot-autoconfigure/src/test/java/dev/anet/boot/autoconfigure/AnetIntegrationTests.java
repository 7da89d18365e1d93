package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.anet.AnetTimeoutException;
import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.health.AnetHealthContributorAutoConfiguration;
import dev.anet.boot.autoconfigure.metrics.AnetMetricsAutoConfiguration;
import dev.anet.broker.Broker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.TestSocketUtils;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A real server and a real broker in one context, over loopback: routing, meters and health.
 * The test picks a free port up front so that health and meters can name it;
 * {@link AnetSelfCallIntegrationTests} calls the server on port 0 through
 * {@code ${local.anet.server.port}}.
 */
class AnetIntegrationTests {

	private final int port = TestSocketUtils.findAvailableTcpPort();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, MetricsAutoConfiguration.class,
				AnetMetricsAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				AnetHealthContributorAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(HsmConfiguration.class)
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=" + this.port,
				"anet.pool.addresses=127.0.0.1:" + this.port, "anet.pool.validation-interval=0");

	@Test
	void requestsAreRoutedCountedAndReportedInHealth() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			Broker broker = context.getBean(Broker.class);
			int n = 0;
			for (int i = 0; i < 5; i++) {
				assertThat(text(broker.send(ascii("NC" + i)))).isEqualTo("diagnostics:NC" + i);
				n++;
			}
			for (int i = 0; i < 3; i++) {
				assertThat(broker.sendAsync(new byte[] { 0x02, 0x00, (byte) i }).get()).containsExactly(0x02, 0x10, i);
				n++;
			}
			assertThat(text(broker.send(ascii("NCX")))).isEqualTo("longer:NCX");
			n++;
			assertThatExceptionOfType(AnetTimeoutException.class)
				.isThrownBy(() -> broker.send(ascii("??"), Duration.ofMillis(200)));
			n++;

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("anet.broker.requests").timers().stream().mapToLong((timer) -> timer.count()).sum())
				.isEqualTo(n);
			assertThat(registry.get("anet.broker.requests").tag("outcome", "success").timer().count()).isEqualTo(n - 1);
			assertThat(registry.get("anet.broker.requests").tag("outcome", "timeout").timer().count()).isEqualTo(1);
			assertThat(registry.get("anet.broker.requests")
				.tag("outcome", "timeout")
				.tag("exception", "AnetTimeoutException")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("anet.broker.requests").tag("exception", "none").timer().count()).isEqualTo(n - 1);
			// every acquire is timed: one per request sent one after the other (not only dials and waits)
			assertThat(registry.get("anet.pool.connections.acquire").tag("address", "127.0.0.1:" + this.port)
				.timer()
				.count()).isGreaterThanOrEqualTo(n);
			assertThat(registry.get("anet.server.requests").timers().stream().mapToLong((timer) -> timer.count()).sum())
				.isEqualTo(n);
			assertThat(serverRequests(registry, "NC", "success")).isEqualTo(5);
			assertThat(serverRequests(registry, "0x0200", "success")).isEqualTo(3);
			assertThat(serverRequests(registry, "NCX", "success")).isEqualTo(1);
			assertThat(serverRequests(registry, "none", "unrouted")).isEqualTo(1);
			assertThat(registry.get("anet.pool.connections.created").tag("address", "127.0.0.1:" + this.port)
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("anet.server.connections.active").gauge().value()).isEqualTo(1);
			assertThat(context.getBean(AnetHandlerRegistrar.class).getRouter().unroutedRequests()).isEqualTo(1);

			Health health = context.getBean("anetHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("pools", "broker", "server");
			assertThat(health.getDetails().get("server"))
				.isEqualTo(Map.of("listening", true, "port", this.port, "activeConnections", 1, "tls", "off"));
			assertThat(health.getDetails().get("pools")).asString()
				.contains("127.0.0.1:" + this.port + "={status=UP, active=0, idle=1, pending=0, max=8, tls=off}");
			assertThat(health.getDetails().get("broker")).asString()
				.isEqualTo("{queueSize=0, queueCapacity=4096, inFlight=0, closed=false}");
		});
	}

	private static long serverRequests(MeterRegistry registry, String route, String outcome) {
		return registry.get("anet.server.requests").tag("route", route).tag("outcome", outcome).timer().count();
	}

	@Configuration(proxyBeanMethods = false)
	static class HsmConfiguration {

		@Bean
		Hsm hsm() {
			return new Hsm();
		}

	}

	static class Hsm {

		@AnetHandler(prefix = "NC")
		byte[] diagnostics(byte[] request) {
			return ascii("diagnostics:" + text(request));
		}

		@AnetHandler(prefix = "NCX")
		byte[] longer(byte[] request) {
			return ascii("longer:" + text(request));
		}

		@AnetHandler(prefixHex = "0200")
		java.util.concurrent.CompletableFuture<byte[]> authorize(byte[] request) {
			byte[] answer = request.clone();
			answer[1] = 0x10;
			return java.util.concurrent.CompletableFuture.completedFuture(answer);
		}

	}

}
