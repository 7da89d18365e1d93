package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link HandlerInterceptor}s around the handler of a real server.
 */
class HandlerInterceptorTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Queue<String> calls = new ConcurrentLinkedQueue<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private Broker serve(Handler handler, HandlerInterceptor... interceptors) {
		AnetServer server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.interceptors(List.of(interceptors))
			.build(), handler);
		server.start();
		this.resources.add(server);
		PoolGroup pools = new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + server.port())),
				PoolConfig.builder().build(), PoolListener.NONE);
		Broker broker = new Broker(pools, BrokerConfig.defaults());
		this.resources.add(broker);
		return broker;
	}

	private HandlerInterceptor recording(String name) {
		return (invocation) -> {
			this.calls.add(name + ">" + text(invocation.request()));
			byte[] answer = invocation.proceed(bytes(text(invocation.request()) + "+" + name));
			this.calls.add(name + "<" + ((answer != null) ? text(answer) : "null"));
			return (answer != null) ? bytes(text(answer) + "<" + name) : null;
		};
	}

	@Test
	void whenInterceptorsAreConfiguredThenTheFirstIsOutermostAndEachMayReplaceRequestAndAnswer() {
		Broker broker = serve((connection, request) -> request, recording("a"), recording("b"));
		assertThat(text(broker.send(bytes("hi")))).isEqualTo("hi+a+b<b<a");
		assertThat(this.calls).containsExactly("a>hi", "b>hi+a", "b<hi+a+b", "a<hi+a+b<b");
	}

	@Test
	void whenTheHandlerThrowsThenTheInterceptorMayTurnItIntoAnAnswer() {
		HandlerInterceptor errors = (invocation) -> {
			try {
				return invocation.proceed();
			}
			catch (IllegalStateException ex) {
				return bytes("ND15");
			}
		};
		Broker broker = serve((connection, request) -> {
			throw new IllegalStateException("key not found");
		}, errors);
		assertThat(text(broker.send(bytes("NC")))).isEqualTo("ND15");
	}

	@Test
	void whenTheInterceptorDoesNotProceedThenTheHandlerDoesNotRun() {
		Queue<String> handled = new ConcurrentLinkedQueue<>();
		Broker broker = serve((connection, request) -> {
			handled.add(text(request));
			return request;
		}, (invocation) -> bytes("short-circuit"));
		assertThat(text(broker.send(bytes("hi")))).isEqualTo("short-circuit");
		assertThat(handled).isEmpty();
	}

	@Test
	void whenTheInterceptorThrowsThenNothingIsAnsweredAndTheConnectionStillServes() {
		Broker broker = serve((connection, request) -> request, (invocation) -> {
			if ("bad".equals(text(invocation.request()))) {
				throw new IllegalArgumentException("refused by interceptor");
			}
			return invocation.proceed();
		});
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> broker.send(bytes("bad"), Duration.ofMillis(200)));
		assertThat(text(broker.send(bytes("good")))).isEqualTo("good");
	}

	@Test
	void whenTheInterceptorRunsThenItSeesTheTaskIdAndTheConnection() {
		Queue<String> seen = new ConcurrentLinkedQueue<>();
		Broker broker = serve((connection, request) -> request, (invocation) -> {
			seen.add(invocation.taskId() + "@" + invocation.connection().remoteAddress().getAddress().getHostAddress());
			return invocation.proceed();
		});
		broker.send(bytes("one"));
		broker.send(bytes("two"));
		await().until(() -> seen.size() == 2);
		assertThat(seen).containsExactly("1@127.0.0.1", "2@127.0.0.1");
	}

	@Test
	void whenNoInterceptorIsConfiguredThenTheConfigHasAnEmptyList() {
		assertThat(ServerConfig.defaults().interceptors()).isEmpty();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
