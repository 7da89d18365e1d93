package dev.anet.boot.event;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the anet application events, with real connections.
 */
class AnetEventPublisherTests {

	private final Queue<ApplicationEvent> events = new ConcurrentLinkedQueue<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withBean("recorder", ApplicationListener.class, () -> (ApplicationListener<ApplicationEvent>) (event) -> {
			if (event instanceof AnetServerStartedEvent || event instanceof AnetConnectionEvent) {
				this.events.add(event);
			}
		})
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenTheServerStartsThenItsPortIsPublished() {
		this.contextRunner.withBean(EchoHandler.class).run((context) -> {
			int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
			assertThat(this.events).singleElement()
				.isInstanceOfSatisfying(AnetServerStartedEvent.class, (event) -> {
					assertThat(event.getPort()).isEqualTo(port).isPositive();
					assertThat(event.getServer().port()).isEqualTo(port);
				});
		});
	}

	@Test
	void whenAClientConnectsAndLeavesThenTheServerPublishesOpenedAndClosedWithItsAddress() {
		this.contextRunner.withBean(EchoHandler.class).run((context) -> {
			int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
			try (Broker client = broker(port)) {
				client.send(ascii("hi"));
				await().until(() -> this.events.stream().anyMatch(AnetConnectionOpenedEvent.class::isInstance));
			}
			await().until(() -> this.events.stream().anyMatch(AnetConnectionClosedEvent.class::isInstance));
			List<AnetConnectionEvent> connections = connectionEvents();
			assertThat(connections).extracting(AnetConnectionEvent::getRole)
				.containsExactly(AnetConnectionEvent.Role.SERVER, AnetConnectionEvent.Role.SERVER);
			assertThat(connections.get(0).getAddress()).isEqualTo(connections.get(1).getAddress());
			assertThat(connections.get(0).getAddress().getAddress().isLoopbackAddress()).isTrue();
		});
	}

	@Test
	void whenTheBrokerDialsAndItsConnectionIsLostThenTheClientSidePublishesOpenedAndClosed() {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> request);
		server.start();
		try {
			this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:" + server.port()).run((context) -> {
				context.getBean(Broker.class).send(ascii("hi"));
				assertThat(connectionEvents()).singleElement().satisfies((event) -> {
					assertThat(event).isInstanceOf(AnetConnectionOpenedEvent.class);
					assertThat(event.getRole()).isEqualTo(AnetConnectionEvent.Role.CLIENT);
					assertThat(event.getAddress().getPort()).isEqualTo(server.port());
				});
				server.stop();
				await().until(() -> connectionEvents().size() == 2);
				assertThat(connectionEvents().get(1)).isInstanceOf(AnetConnectionClosedEvent.class)
					.satisfies((event) -> assertThat(event.getAddress().getPort()).isEqualTo(server.port()));
			});
		}
		finally {
			server.stop();
		}
	}

	private List<AnetConnectionEvent> connectionEvents() {
		return this.events.stream()
			.filter(AnetConnectionEvent.class::isInstance)
			.map(AnetConnectionEvent.class::cast)
			.toList();
	}

	private static Broker broker(int port) {
		return new Broker(PoolGroup.of(List.of("127.0.0.1:" + port), PoolConfig.builder().build()),
				BrokerConfig.builder().closeTimeout(Duration.ZERO).build());
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static class EchoHandler {

		@AnetHandler
		byte[] echo(byte[] request) {
			return request;
		}

	}

}
