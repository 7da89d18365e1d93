package dev.anet.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.ConnectionLostException;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.testsupport.FaultProxy;
import dev.anet.testsupport.TestCertificates;
import dev.anet.tls.TlsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link FaultProxyBrokerTests} faults over TLS: the proxy forwards the TLS records as they come
 * (it cannot see frames), and drops, half-opens or fragments the connection.
 */
class TlsFaultProxyBrokerTests {

	private static final Duration DEADLINE = Duration.ofSeconds(3);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Calls calls = new Calls();

	private final CountDownLatch release = new CountDownLatch(1);

	private AnetServer server;

	private FaultProxy proxy;

	/** Echo, but a request starting with "hold" waits until the test releases it. */
	private final Handler echo = (connection, request) -> {
		if (new String(request, StandardCharsets.UTF_8).startsWith("hold")) {
			this.release.await(10, TimeUnit.SECONDS);
		}
		return request;
	};

	@BeforeEach
	void start() throws Exception {
		this.server = new AnetServer(ServerConfig.builder()
			.address("127.0.0.1")
			.port(0)
			.shutdownTimeout(Duration.ofSeconds(1))
			.tls(TlsConfig.builder().sslContext(TestCertificates.server()).build())
			.build(), this.echo);
		this.server.start();
		this.resources.add(this.server);
		this.proxy = new FaultProxy(this.server.port());
		this.proxy.toServer().opaque(true);
		this.proxy.toClient().opaque(true);
		this.resources.add(this.proxy);
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.release.countDown();
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private Broker broker(int capacity) {
		PoolGroup pools = new PoolGroup(List.of(Addresses.parse(this.proxy.address())),
				PoolConfig.builder()
					.capacity(capacity)
					.tls(TlsConfig.builder().sslContext(TestCertificates.client()).build())
					.build(),
				PoolListener.NONE);
		Broker broker = new Broker(pools, BrokerConfig.defaults());
		this.resources.add(broker);
		return broker;
	}

	private void assertServed(Broker broker, String prefix, int count) {
		for (int i = 0; i < count; i++) {
			Calls.Call call = this.calls.send(broker, prefix + "-" + i, DEADLINE);
			assertThat(call.failure()).as("failure of %s", call.payload()).isNull();
		}
		this.calls.assertEveryAnswerIsTheCallersOwn();
	}

	enum Drop {

		RST, FIN

	}

	@ParameterizedTest
	@EnumSource(Drop.class)
	void whenATlsConnectionIsDroppedMidFlightThenItsRequestsFailWithConnectionLostAndTheNextOnesSucceed(Drop drop)
			throws Exception {
		Broker broker = broker(1);
		assertServed(broker, "before", 3);
		List<CompletableFuture<Calls.Call>> held = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			held.add(this.calls.sendAsync(broker, "hold-" + i, DEADLINE));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.handlersRunning() == 8);
		if (drop == Drop.RST) {
			this.proxy.resetAll();
		}
		else {
			this.proxy.closeAll();
		}
		for (CompletableFuture<Calls.Call> future : held) {
			Calls.Call call = future.get(DEADLINE.plus(Calls.MARGIN).toMillis(), TimeUnit.MILLISECONDS);
			assertThat(call.failure()).as("outcome of %s", call.payload()).isInstanceOf(ConnectionLostException.class);
			assertThat(call.failure()).hasMessageContaining(this.proxy.address());
		}
		this.release.countDown();
		assertServed(broker, "after", 10);
		assertThat(this.proxy.accepted()).as("connections dialled").isEqualTo(2);
		assertThat(broker.inFlight()).isZero();
		this.calls.assertNoCallerWaitedPastItsDeadline();
	}

	@Test
	void whenATlsConnectionGoesHalfOpenThenItsRequestsTimeOutAndTheBrokerReplacesItByItself() {
		Broker broker = broker(1);
		assertServed(broker, "before", 3);
		FaultProxy.Link first = this.proxy.openLinks().get(0);
		first.halfOpen();
		int timeouts = 0;
		Calls.Call call = null;
		for (int i = 0; i < 10; i++) {
			call = this.calls.send(broker, "silent-" + i, Duration.ofMillis(300));
			if (call.succeeded()) {
				break;
			}
			assertThat(call.failure()).isInstanceOf(AnetTimeoutException.class);
			timeouts++;
		}
		assertThat(call.succeeded()).as("a request succeeded again after %d timeouts", timeouts).isTrue();
		// 3 on the silent connection; a new dial's handshake on a busy machine may cost one more deadline
		assertThat(timeouts).isGreaterThanOrEqualTo(3);
		assertThat(this.proxy.accepted()).as("connections dialled").isGreaterThanOrEqualTo(2);
		assertServed(broker, "after", 10);
		this.calls.assertNoCallerWaitedPastItsDeadline();
	}

	@Test
	void whenTlsRecordsArriveOneByteAtATimeBothWaysThenEveryCallerGetsItsOwnAnswer() {
		this.proxy.toServer().fragment(true);
		this.proxy.toClient().fragment(true);
		Broker broker = broker(2);
		for (int i = 0; i < 40; i++) {
			this.calls.send(broker, "fragmented-" + i + "-" + "y".repeat(i * 7), Duration.ofSeconds(10));
		}
		assertThat(this.calls.failures()).isEmpty();
		this.calls.assertEveryAnswerIsTheCallersOwn();
		assertThat(this.proxy.toClient().writes()).isGreaterThan(1000);
	}

}
