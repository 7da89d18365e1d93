package dev.anet.boot.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import dev.anet.boot.AnetHandler;
import dev.anet.broker.Broker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true} on Java 21+, the broker's and the server's
 * threads are virtual. (The build targets Java 17, so the check is by the thread's class, without
 * {@code Thread.isVirtual()}.)
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class AnetVirtualThreadsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withBean("recorder", Recorder.class)
		.withPropertyValues("spring.threads.virtual.enabled=true", "anet.server.address=127.0.0.1",
				"anet.server.port=0", "anet.pool.addresses=127.0.0.1:1500");

	@Test
	void brokerAndServerRunOnVirtualThreads() {
		this.contextRunner.run((context) -> {
			assertThat(isVirtual(context.getBean(Broker.class).config().threadFactory().newThread(() -> {
			}))).isTrue();
			assertThat(isVirtual(context.getBean(AnetServerLifecycle.class).getServerConfig().threadFactory()
				.newThread(() -> {
				}))).isTrue();
			int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
			try (Broker client = TestClients.broker(port)) {
				client.send(ascii("x"));
			}
			Thread handlerThread = context.getBean(Recorder.class).thread.get();
			assertThat(isVirtual(handlerThread)).as("handler thread %s", handlerThread).isTrue();
		});
	}

	@Test
	void withoutThePropertyThreadsArePlatformThreads() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=false")
			.run((context) -> assertThat(context.getBean(Broker.class).config().threadFactory()).isNull());
	}

	private static boolean isVirtual(Thread thread) {
		return thread.getClass().getName().equals("java.lang.VirtualThread");
	}

	static class Recorder {

		final AtomicReference<Thread> thread = new AtomicReference<>();

		@AnetHandler
		byte[] handle(byte[] request) {
			this.thread.set(Thread.currentThread());
			return request;
		}

	}

}
