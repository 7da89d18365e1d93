package dev.anet.server;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the lifecycle, configuration and threads of {@link AnetServer}.
 */
class AnetServerTests {

	private static final Handler ECHO = (connection, request) -> request;

	private final List<AnetServer> servers = new ArrayList<>();

	private final List<ExecutorService> executors = new ArrayList<>();

	@AfterEach
	void stopServers() {
		this.servers.forEach(AnetServer::stop);
		this.executors.forEach(ExecutorService::shutdownNow);
	}

	@Test
	void beforeStartPortIsMinusOneAndServerIsNotRunning() {
		AnetServer server = track(new AnetServer(config().build(), ECHO));
		assertThat(server.port()).isEqualTo(-1);
		assertThat(server.localAddress()).isNull();
		assertThat(server.isRunning()).isFalse();
		assertThat(server.activeConnections()).isZero();
		assertThat(server.handlersRunning()).isZero();
	}

	@Test
	void whenStartedOnPortZeroThenAFreePortIsBoundAndServes() {
		AnetServer server = start(config(), ECHO);
		assertThat(server.port()).isPositive();
		assertThat(server.localAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
		assertThat(server.isRunning()).isTrue();
		try (TestClient client = TestClient.connect(server.port())) {
			assertThat(client.request(bytes("ping"))).asString(StandardCharsets.UTF_8).isEqualTo("ping");
		}
	}

	@Test
	void whenStartedTwiceThenIllegalStateException() {
		AnetServer server = start(config(), ECHO);
		assertThatIllegalStateException().isThrownBy(server::start).withMessageContaining("already started");
		server.stop();
		assertThatIllegalStateException().isThrownBy(server::start);
	}

	@Test
	void whenStoppedBeforeStartThenNothingHappensAndStartStillWorks() {
		AnetServer server = track(new AnetServer(config().build(), ECHO));
		server.stop();
		server.close();
		server.start();
		assertThat(server.isRunning()).isTrue();
	}

	@Test
	void whenStoppedTwiceThenSecondStopReturnsAtOnce() {
		AnetServer server = start(config(), ECHO);
		server.stop();
		assertThat(server.isRunning()).isFalse();
		long start = System.nanoTime();
		server.stop();
		server.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
	}

	@Test
	void whenPortIsTakenThenStartFailsWithBindExceptionCauseAndPortInMessage() {
		AnetServer first = start(config(), ECHO);
		AnetServer second = track(new AnetServer(config().port(first.port()).build(), ECHO));
		assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
			.hasMessage("Failed to start anet server on port " + first.port())
			.hasCauseInstanceOf(BindException.class);
		assertThat(second.isRunning()).isFalse();
		assertThat(second.port()).isEqualTo(-1);
	}

	@Test
	void whenReusePortThenTwoServersBindTheSamePort() {
		AnetServer first = start(config().reusePort(true), ECHO);
		AnetServer second = start(config().reusePort(true).port(first.port()), ECHO);
		assertThat(second.port()).isEqualTo(first.port());
		try (TestClient client = TestClient.connect(first.port())) {
			assertThat(client.request(bytes("either"))).asString(StandardCharsets.UTF_8).isEqualTo("either");
		}
	}

	@Test
	void whenStoppedThenNoServerThreadsRemain() {
		Set<Thread> before = anetThreads();
		AnetServer server = start(config(), ECHO);
		List<TestClient> clients = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			TestClient client = TestClient.connect(server.port());
			clients.add(client);
			assertThat(client.request(bytes("x" + i))).asString(StandardCharsets.UTF_8).isEqualTo("x" + i);
		}
		assertThat(newThreads(before)).extracting(Thread::getName)
			.contains("anet-accept", "anet-server-watchdog")
			.anyMatch((name) -> name.startsWith("anet-handler-"))
			.anyMatch((name) -> name.startsWith("anet-conn-127.0.0.1:") && name.endsWith("-reader"));
		server.stop();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
		clients.forEach((client) -> assertThat(client.isClosedByServer()).isTrue());
		clients.forEach(TestClient::close);
	}

	@Test
	void whenThreadFactoryAndExecutorAreGivenThenTheServerUsesThem() {
		AtomicInteger made = new AtomicInteger();
		ThreadFactory factory = (task) -> {
			made.incrementAndGet();
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			return thread;
		};
		AtomicInteger handlerThreads = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "custom-handler-" + handlerThreads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.executors.add(executor);
		AtomicReference<String> handlerThread = new AtomicReference<>();
		AnetServer server = start(config().threadFactory(factory).handlerExecutor(executor), (connection, request) -> {
			handlerThread.set(Thread.currentThread().getName());
			return request;
		});
		try (TestClient client = TestClient.connect(server.port())) {
			assertThat(client.request(bytes("custom"))).asString(StandardCharsets.UTF_8).isEqualTo("custom");
		}
		assertThat(handlerThread.get()).startsWith("custom-handler-");
		// the accept thread and the connection's reader
		assertThat(made.get()).isEqualTo(2);
	}

	@Test
	void connectionCarriesIdAddressesAndAttributesAcrossRequests() {
		AnetServer server = start(config(), (connection, request) -> {
			Object count = connection.getAttribute("count");
			int next = (count != null) ? (int) count + 1 : 1;
			connection.setAttribute("count", next);
			if (next == 3) {
				connection.setAttribute("count", null);
			}
			return (connection.id() + "|" + connection.remoteAddress().getPort() + "|"
					+ connection.localAddress().getPort() + "|" + next)
				.getBytes(StandardCharsets.UTF_8);
		});
		try (TestClient client = TestClient.connect(server.port())) {
			int localPort = client.socket().getLocalPort();
			String first = new String(client.request(bytes("a")), StandardCharsets.UTF_8);
			String[] parts = first.split("\\|");
			assertThat(Long.parseLong(parts[0])).isPositive();
			assertThat(parts[1]).isEqualTo(String.valueOf(localPort));
			assertThat(parts[2]).isEqualTo(String.valueOf(server.port()));
			assertThat(parts[3]).isEqualTo("1");
			assertThat(new String(client.request(bytes("b")), StandardCharsets.UTF_8)).endsWith("|2");
			assertThat(new String(client.request(bytes("c")), StandardCharsets.UTF_8)).endsWith("|3");
			assertThat(new String(client.request(bytes("d")), StandardCharsets.UTF_8)).endsWith("|1");
		}
		try (TestClient other = TestClient.connect(server.port())) {
			assertThat(new String(other.request(bytes("e")), StandardCharsets.UTF_8)).endsWith("|1");
		}
	}

	@Test
	void whenListenerThrowsThenRequestsAreStillServed() {
		ServerListener failing = new ServerListener() {

			@Override
			public void connectionOpened(ServerConnection connection) {
				throw new IllegalStateException("boom");
			}

			@Override
			public void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome,
					long nanos) {
				throw new IllegalStateException("boom");
			}

		};
		AnetServer server = track(new AnetServer(config().build(), ECHO, failing));
		server.start();
		try (TestClient client = TestClient.connect(server.port())) {
			assertThat(client.request(bytes("one"))).asString(StandardCharsets.UTF_8).isEqualTo("one");
			assertThat(client.request(bytes("two"))).asString(StandardCharsets.UTF_8).isEqualTo("two");
		}
	}

	static ServerConfig.Builder config() {
		return ServerConfig.builder().address("127.0.0.1").port(0);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the live threads whose name starts with {@code anet-}.
	 * @return the threads
	 */
	static Set<Thread> anetThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("anet-"))
			.collect(Collectors.toSet());
	}

	private static Set<Thread> newThreads(Set<Thread> before) {
		Set<Thread> now = anetThreads();
		now.removeAll(before);
		return now;
	}

	private AnetServer start(ServerConfig.Builder config, Handler handler) {
		AnetServer server = track(new AnetServer(config.build(), handler));
		server.start();
		return server;
	}

	private AnetServer track(AnetServer server) {
		this.servers.add(server);
		return server;
	}

}
