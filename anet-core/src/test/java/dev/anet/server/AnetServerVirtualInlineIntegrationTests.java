package dev.anet.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every inline test again on a server whose threads are virtual (a virtual-thread factory, which
 * is what {@code spring.threads.virtual.enabled=true} gives), and what is particular to it: quick
 * handlers run on the virtual reader, the others on a virtual thread each, and a slow one loses
 * the reader role to a new virtual reader. (The module compiles for Java 17: the factory and
 * {@code Thread.isVirtual()} are looked up.)
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class AnetServerVirtualInlineIntegrationTests extends AnetServerInlineIntegrationTests {

	@Override
	ServerConfig.Builder config() {
		return super.config().threadFactory(virtualThreadFactory());
	}

	@Test
	void whenHandlersHaveBeenQuickThenTheVirtualReaderRunsThemItself() {
		start(config());
		TestClient client = this.fixture.connect();
		warmUp(client);
		assertThat(this.threads.get("warm-0")).startsWith("anet-handler-");
		assertThat(ServerThreads.isVirtual(this.threadObjects.get("warm-0"))).as("handler thread").isTrue();
		assertThat(client.request(bytes("inline"))).asString(StandardCharsets.UTF_8).isEqualTo("inline");
		assertThat(this.threads.get("inline")).startsWith("anet-conn-").endsWith("-reader");
		assertThat(ServerThreads.isVirtual(this.threadObjects.get("inline"))).as("reader thread").isTrue();
	}

	@Test
	void whenAHandlerOnTheVirtualReaderIsSlowThenANewVirtualReaderTakesOver() {
		Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
		start(config());
		TestClient client = this.fixture.connect();
		warmUp(client);
		Held slow = holdOnTheReader(client, "slow", (name) -> gates.put(name, this.fixture.gate(name)),
				(name) -> gates.get(name).countDown(), true);
		Thread oldReader = this.threadObjects.get(slow.name());
		String behind = "behind-" + (slow.tries() - 1);
		assertThat(this.threads.get(behind)).startsWith("anet-handler-");
		assertThat(ServerThreads.isVirtual(this.threadObjects.get(behind))).as("handler thread").isTrue();
		gates.get(slow.name()).countDown();
		assertThat(client.receive().taskId()).isEqualTo(1);
		// quick again: the handlers run on the new reader
		warmUp(client);
		assertThat(client.request(bytes("new reader"))).asString(StandardCharsets.UTF_8).isEqualTo("new reader");
		Thread newReader = this.threadObjects.get("new reader");
		assertThat(newReader.getName()).startsWith("anet-conn-").endsWith("-reader");
		assertThat(newReader).isNotSameAs(oldReader);
		assertThat(ServerThreads.isVirtual(newReader)).as("new reader thread").isTrue();
	}

	static ThreadFactory virtualThreadFactory() {
		try {
			Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			MethodHandle builder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
			MethodHandle factory = lookup.findVirtual(ofVirtual, "factory", MethodType.methodType(ThreadFactory.class));
			return (ThreadFactory) factory.invoke(builder.invoke());
		}
		catch (Throwable ex) {
			throw new IllegalStateException("no virtual threads on " + Runtime.version(), ex);
		}
	}

}
