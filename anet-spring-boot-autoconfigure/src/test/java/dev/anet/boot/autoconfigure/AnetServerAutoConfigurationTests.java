package dev.anet.boot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.AnetHandler;
import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the server side of {@link AnetAutoConfiguration}: {@link AnetServerLifecycle}.
 */
class AnetServerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenAHandlerExistsThenTheServerListensOnThePublishedPort() {
		this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class).run((context) -> {
			AnetServerLifecycle lifecycle = context.getBean(AnetServerLifecycle.class);
			assertThat(lifecycle.isRunning()).isTrue();
			int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
			assertThat(port).isPositive().isEqualTo(lifecycle.getServer().port());
			try (Broker client = TestClients.broker(port)) {
				assertThat(text(client.send(ascii("hello")))).isEqualTo("echo:hello");
			}
		});
	}

	@Test
	void serverConfigurationHasTheCoreDefaults() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig())
				.isEqualTo(ServerConfig.defaults()));
	}

	@Test
	void propertiesReachTheServerConfiguration() {
		this.contextRunner
			.withPropertyValues("anet.server.read-timeout=1s", "anet.server.write-timeout=2s",
					"anet.server.idle-timeout=3s", "anet.server.keep-alive-interval=0", "anet.server.max-conns=5",
					"anet.server.max-concurrent-handlers=6", "anet.server.write-queue-depth=7",
					"anet.server.reuse-port=true", "anet.server.shutdown-timeout=8s")
			.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig())
				.isEqualTo(ServerConfig.builder()
					.address("127.0.0.1")
					.port(0)
					.readTimeout(Duration.ofSeconds(1))
					.writeTimeout(Duration.ofSeconds(2))
					.idleTimeout(Duration.ofSeconds(3))
					.keepAliveInterval(Duration.ZERO)
					.maxConns(5)
					.maxConcurrentHandlers(6)
					.writeQueueDepth(7)
					.reusePort(true)
					.shutdownTimeout(Duration.ofSeconds(8))
					.build()));
	}

	@Test
	void whenThereIsNoHandlerThenTheServerDoesNotRun() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(AnetServerLifecycle.class);
			AnetServerLifecycle lifecycle = context.getBean(AnetServerLifecycle.class);
			assertThat(lifecycle.getServer()).isNull();
			assertThat(lifecycle.isRunning()).isFalse();
			assertThat(context.getEnvironment().containsProperty("local.anet.server.port")).isFalse();
		});
	}

	@Test
	void whenDisabledThenThereIsNoServerEvenWithAHandler() {
		this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class)
			.withPropertyValues("anet.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AnetServerLifecycle.class)
				.doesNotHaveBean(AnetHandlerRegistrar.class));
	}

	@Test
	void whenEnabledWithoutAHandlerThenStartUpFails() {
		this.contextRunner.withPropertyValues("anet.server.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.hasMessageContaining("anet.server.enabled=true but there is no @AnetHandler")
				.hasMessageContaining("remove anet.server.enabled");
		});
	}

	@Test
	void whenEnabledWithAHandlerThenTheServerRuns() {
		this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class)
			.withPropertyValues("anet.server.enabled=true")
			.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).isRunning()).isTrue());
	}

	@Test
	void backsOffToAUserServer() {
		this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class, UserServerConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(AnetServer.class)
				.doesNotHaveBean(AnetServerLifecycle.class));
	}

	@Test
	void customizersAreAppliedAfterTheProperties() {
		this.contextRunner.withPropertyValues("anet.server.max-conns=5")
			.withBean(AnetServerCustomizer.class, () -> (builder) -> builder.maxConns(50))
			.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig().maxConns())
				.isEqualTo(50));
	}

	@Test
	void whenAValueIsInvalidThenStartUpFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("anet.server.write-queue-depth=0").run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = AnetAutoConfigurationTests
				.invalidProperty(context.getStartupFailure());
			assertThat(failure.getName()).isEqualTo("anet.server.write-queue-depth");
		});
	}

	@Test
	void whenThePortIsOutOfRangeThenStartUpFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("anet.server.port=70000")
			.run((context) -> assertThat(AnetAutoConfigurationTests.invalidProperty(context.getStartupFailure()).getName())
				.isEqualTo("anet.server.port"));
	}

	@Test
	void whenThePortIsInUseThenStartUpFailsWithPortInUse() throws IOException {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class)
				.withPropertyValues("anet.server.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context).getFailure()
						.rootCause()
						.isInstanceOf(java.net.BindException.class);
					assertThat(context).getFailure()
						.cause()
						.isInstanceOf(AnetServerPortInUseException.class)
						.hasMessageStartingWith("Failed to start anet server on port " + taken.getLocalPort());
				});
		}
	}

	@Test
	void serverStartsLateAndStopsEarly() {
		this.contextRunner.run((context) -> assertThat(context.getBean(AnetServerLifecycle.class).getPhase())
			.isEqualTo(Integer.MAX_VALUE - 100));
	}

	@Test
	void aNonDaemonThreadKeepsTheJvmAliveWhileTheServerRuns() {
		this.contextRunner.withUserConfiguration(EchoHandlerConfiguration.class).run((context) -> {
			assertThat(keepAliveThread()).isNotNull().satisfies((thread) -> assertThat(thread.isDaemon()).isFalse());
			context.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> keepAliveThread() == null);
		});
	}

	@Test
	void closingTheContextDrainsRunningHandlers() {
		this.contextRunner.withUserConfiguration(BlockingHandlerConfiguration.class)
			.withPropertyValues("anet.server.shutdown-timeout=10s")
			.run((context) -> {
				BlockingHandler handler = context.getBean(BlockingHandler.class);
				int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
				try (Broker client = TestClients.broker(port)) {
					CompletableFuture<byte[]> answer = client.sendAsync(ascii("slow"));
					assertThat(handler.entered.await(5, TimeUnit.SECONDS)).isTrue();
					CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
					AnetServer server = context.getBean(AnetServerLifecycle.class).getServer();
					await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
					assertThat(answer).isNotDone();
					handler.release.countDown();
					assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(ascii("done"));
					closed.get(10, TimeUnit.SECONDS);
				}
			});
	}

	private static Thread keepAliveThread() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("anet-server-keep-alive"))
			.findFirst()
			.orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoHandlerConfiguration {

		@Bean
		EchoHandler echoHandler() {
			return new EchoHandler();
		}

	}

	@AnetHandler
	static class EchoHandler implements Handler {

		@Override
		public byte[] handle(ServerConnection connection, byte[] request) {
			return ascii("echo:" + text(request));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserServerConfiguration {

		@Bean
		AnetServer userServer() {
			return new AnetServer(ServerConfig.builder().port(0).build(), (connection, request) -> request);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingHandlerConfiguration {

		@Bean
		BlockingHandler blockingHandler() {
			return new BlockingHandler();
		}

	}

	@AnetHandler
	static class BlockingHandler implements Handler {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public byte[] handle(ServerConnection connection, byte[] request) throws InterruptedException {
			this.entered.countDown();
			this.release.await();
			return ascii("done");
		}

	}

}
