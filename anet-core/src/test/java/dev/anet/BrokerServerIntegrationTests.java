package dev.anet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.testsupport.ConcurrentCallers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our broker against our server, over loopback.
 */
class BrokerServerIntegrationTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private AnetServer server(Handler handler) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(), handler);
		this.resources.add(server);
		server.start();
		return server;
	}

	private Broker broker(AnetServer server, int capacity) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + server.port()),
				PoolConfig.builder().capacity(capacity).build());
		Broker broker = new Broker(pools, BrokerConfig.defaults());
		this.resources.add(broker);
		return broker;
	}

	@Test
	void whenSixtyFourThreadsSendTenThousandRequestsEachThenEveryAnswerIsTheCallersOwn() throws Exception {
		AtomicLong handled = new AtomicLong();
		AnetServer server = server((connection, request) -> {
			handled.incrementAndGet();
			byte[] answer = Arrays.copyOf(request, request.length);
			for (int i = 0, j = answer.length - 1; i < j; i++, j--) {
				byte b = answer[i];
				answer[i] = answer[j];
				answer[j] = b;
			}
			return answer;
		});
		Broker broker = broker(server, 8);
		int threads = 64;
		int perThread = 10_000;
		AtomicInteger wrong = new AtomicInteger();
		List<Throwable> errors = ConcurrentCallers.run(threads, perThread, Duration.ofMinutes(3), (thread, i) -> {
			String text = "caller-" + thread + "/request-" + i;
			byte[] answer = broker.send(text.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));
			if (!new StringBuilder(text).reverse().toString().equals(new String(answer, StandardCharsets.UTF_8))) {
				wrong.incrementAndGet();
			}
		});
		assertThat(errors).isEmpty();
		assertThat(wrong.get()).isZero();
		assertThat(handled.get()).isEqualTo((long) threads * perThread);
		assertThat(broker.inFlight()).isZero();
		assertThat(broker.lateResponses()).isZero();
		assertThat(server.activeConnections()).isLessThanOrEqualTo(8);
	}

	@Test
	void whenHandlersTakeDifferentTimesThenAnswersComeBackOutOfOrderToTheRightCallers() throws Exception {
		CountDownLatch slowRelease = new CountDownLatch(1);
		AnetServer server = server((connection, request) -> {
			String text = new String(request, StandardCharsets.UTF_8);
			if (text.startsWith("slow")) {
				slowRelease.await(5, TimeUnit.SECONDS);
			}
			return request;
		});
		Broker broker = broker(server, 1);
		List<String> completions = new CopyOnWriteArrayList<>();
		CompletableFuture<byte[]> slow = broker.sendAsync("slow".getBytes(StandardCharsets.UTF_8));
		slow.thenRun(() -> completions.add("slow"));
		List<CompletableFuture<byte[]>> fast = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String text = "fast-" + i;
			CompletableFuture<byte[]> future = broker.sendAsync(text.getBytes(StandardCharsets.UTF_8));
			future.thenRun(() -> completions.add(text));
			fast.add(future);
		}
		for (int i = 0; i < 5; i++) {
			assertThat(new String(fast.get(i).get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("fast-" + i);
		}
		assertThat(slow).isNotDone();
		slowRelease.countDown();
		assertThat(new String(slow.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("slow");
		assertThat(completions).hasSize(6).last().isEqualTo("slow");
		assertThat(server.activeConnections()).isEqualTo(1);
	}

}
