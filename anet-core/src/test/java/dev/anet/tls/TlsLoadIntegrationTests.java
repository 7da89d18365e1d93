package dev.anet.tls;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.broker.Broker;
import dev.anet.server.AnetServer;
import dev.anet.testsupport.ConcurrentCallers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load over TLS: many callers on few connections, answers out of order, and clients that never
 * handshake.
 */
class TlsLoadIntegrationTests {

	private final TlsFixture fixture = new TlsFixture();

	private final List<Socket> sockets = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.fixture.close();
	}

	@Test
	void whenSixtyFourThreadsSendTenThousandRequestsEachOverTlsThenEveryAnswerIsTheCallersOwn() throws Exception {
		AtomicLong handled = new AtomicLong();
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), (connection, request) -> {
			handled.incrementAndGet();
			byte[] answer = Arrays.copyOf(request, request.length);
			for (int i = 0, j = answer.length - 1; i < j; i++, j--) {
				byte b = answer[i];
				answer[i] = answer[j];
				answer[j] = b;
			}
			return answer;
		});
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 8);
		int threads = 64;
		int perThread = 10_000;
		AtomicInteger wrong = new AtomicInteger();
		List<Throwable> errors = ConcurrentCallers.run(threads, perThread, Duration.ofMinutes(3), (thread, i) -> {
			// every 256th request is large, so that batches span several TLS records
			String text = "caller-" + thread + "/request-" + i + ((i % 256 == 0) ? "x".repeat(20_000) : "");
			byte[] answer = broker.send(text.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));
			if (!new StringBuilder(text).reverse().toString().equals(new String(answer, StandardCharsets.UTF_8))) {
				wrong.incrementAndGet();
			}
		});
		assertThat(errors).isEmpty();
		assertThat(wrong.get()).isZero();
		assertThat(handled.get()).isEqualTo((long) threads * perThread);
		assertThat(broker.lateResponses()).isZero();
		assertThat(server.activeConnections()).isLessThanOrEqualTo(8);
		assertThat(this.fixture.handshakes.count(TlsSide.CLIENT, false)).isZero();
	}

	@Test
	void whenHandlersTakeDifferentTimesThenAnswersComeBackOutOfOrderToTheRightCallers() throws Exception {
		CountDownLatch slowRelease = new CountDownLatch(1);
		AnetServer server = this.fixture.server(TlsFixture.serverTls().build(), (connection, request) -> {
			if (new String(request, StandardCharsets.UTF_8).startsWith("slow")) {
				slowRelease.await(5, TimeUnit.SECONDS);
			}
			return request;
		});
		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 1);
		CompletableFuture<byte[]> slow = broker.sendAsync("slow".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 5; i++) {
			byte[] fast = ("fast-" + i).getBytes(StandardCharsets.UTF_8);
			assertThat(broker.sendAsync(fast).get(5, TimeUnit.SECONDS)).isEqualTo(fast);
		}
		assertThat(slow).isNotDone();
		slowRelease.countDown();
		assertThat(new String(slow.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("slow");
	}

	@Test
	void whenTwoHundredClientsNeverHandshakeThenEachIsClosedAfterTheTimeoutWhileAGoodClientIsServed()
			throws Exception {
		AnetServer server = this.fixture.server(
				TlsFixture.serverTls().handshakeTimeout(Duration.ofSeconds(3)).build(), (connection, request) -> request);
		for (int i = 0; i < 200; i++) {
			this.sockets.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
		}
		await().untilAsserted(() -> assertThat(server.activeConnections()).isEqualTo(200));

		Broker broker = this.fixture.broker("127.0.0.1", server, TlsFixture.clientTls().build(), 1);
		byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
		assertThat(broker.send(hello)).isEqualTo(hello);
		// served while the silent ones still wait for their timeout
		assertThat(this.fixture.handshakes.count(TlsSide.SERVER, false)).isZero();
		assertThat(this.fixture.handshakes.count(TlsSide.SERVER, true)).isEqualTo(1);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.fixture.handshakes.count(TlsSide.SERVER, false)).isEqualTo(200));
		assertThat(this.fixture.handshakes.failures(TlsSide.SERVER))
			.allSatisfy((h) -> assertThat(h.failure()).hasMessageContaining("no TLS handshake message within 3000 ms"));
		for (Socket socket : this.sockets) {
			socket.setSoTimeout(5000);
			try (InputStream in = socket.getInputStream()) {
				assertThat(in.read()).isEqualTo(-1);
			}
		}
		await().untilAsserted(() -> assertThat(server.activeConnections()).isEqualTo(1));
		assertThat(broker.send(hello)).isEqualTo(hello);
	}

}
