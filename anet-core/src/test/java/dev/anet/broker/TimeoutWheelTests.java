package dev.anet.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.anet.AnetTimeoutException;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.testsupport.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The deadlines of {@link Broker#sendAsync} requests ({@link TimeoutWheel}), against a real
 * loopback server: never before the deadline, every one eventually, also past one turn of the
 * wheel, and nothing left in the wheel by requests that were answered, failed or cancelled.
 */
class TimeoutWheelTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void whenNoAnswerComesThenEachRequestTimesOutNotBeforeItsDeadline() throws Exception {
		Broker broker = broker(server(TimeoutWheelTests::neverAnswer), Duration.ofSeconds(30));
		// deadlines on both sides of a turn of the wheel (1,024 ms), and one already due
		long[] timeoutsMillis = { 0, 1, 5, 40, 250, 1023, 1024, 1025, 1500 };
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		long[] started = new long[timeoutsMillis.length];
		AtomicLongArray failedAt = new AtomicLongArray(timeoutsMillis.length);
		for (int i = 0; i < timeoutsMillis.length; i++) {
			int index = i;
			started[i] = System.nanoTime();
			CompletableFuture<byte[]> future = broker.sendAsync(bytes("r" + i), Duration.ofMillis(timeoutsMillis[i]));
			future.whenComplete((answer, failure) -> failedAt.set(index, System.nanoTime()));
			futures.add(future);
		}
		for (int i = 0; i < timeoutsMillis.length; i++) {
			int index = i;
			CompletableFuture<byte[]> future = futures.get(i);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
				.withCauseInstanceOf(AnetTimeoutException.class);
			await().atMost(WAIT).until(() -> failedAt.get(index) != 0);
			assertThat(failedAt.get(i) - started[i]).as("request with a %d ms timeout", timeoutsMillis[i])
				.isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(timeoutsMillis[i]));
		}
		assertThat(broker.timeouts().size()).isZero();
		assertThat(broker.inFlight()).isZero();
	}

	@Test
	void whenRequestsAreAnsweredThenTheWheelKeepsNoneOfThem() throws Exception {
		Broker broker = broker(server(TestServer.echo()), Duration.ofSeconds(30));
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < 3_000; i++) {
			futures.add(broker.sendAsync(bytes("r" + i)));
		}
		for (int i = 0; i < futures.size(); i++) {
			assertThat(futures.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(bytes("r" + i));
		}
		assertThat(broker.timeouts().size()).isZero();
	}

	@Test
	void whenRequestsAreCancelledThenTheWheelKeepsNoneOfThem() throws Exception {
		Broker broker = broker(server(TimeoutWheelTests::neverAnswer), Duration.ofSeconds(30));
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			// deadlines far enough away that none passes before the cancels, even on a stalled machine
			futures.add(broker.sendAsync(bytes("r" + i), Duration.ofMillis(5_000 + i)));
		}
		assertThat(broker.timeouts().size()).isEqualTo(100);
		futures.forEach((future) -> future.cancel(false));
		assertThat(broker.timeouts().size()).isZero();
		await().atMost(WAIT).until(() -> broker.inFlight() == 0);
		futures.forEach((future) -> assertThat(future).isCancelled());
	}

	@Test
	void whenTheBrokerClosesThenWaitingRequestsFailAndLeaveTheWheel() throws Exception {
		Broker broker = broker(server(TimeoutWheelTests::neverAnswer), Duration.ofSeconds(30));
		List<CompletableFuture<byte[]>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(broker.sendAsync(bytes("r" + i)));
		}
		broker.close();
		for (CompletableFuture<byte[]> future : futures) {
			assertThat(future).isCompletedExceptionally();
		}
		assertThat(broker.timeouts().size()).isZero();
	}

	@Test
	void whenManyThreadsSendWithMixedDeadlinesThenEveryRequestEndsOnceAndTheWheelEmpties() throws Exception {
		// odd requests are answered, even ones time out
		Broker broker = broker(server((conn, taskId, body) -> {
			if (body[body.length - 1] % 2 == 1) {
				conn.reply(taskId, body);
			}
			else {
				neverAnswer(conn, taskId, body);
			}
		}), Duration.ofSeconds(30));
		ConcurrentHashMap<String, CompletableFuture<byte[]>> futures = new ConcurrentHashMap<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			int thread = t;
			threads.add(new Thread(() -> {
				for (int i = 0; i < 300; i++) {
					String text = "t" + thread + "-" + i + "-" + (char) ('0' + (i % 2));
					// answered ones get time enough on a busy machine; the others deadlines 20 to 200 ms away
					Duration timeout = (i % 2 == 1) ? WAIT : Duration.ofMillis(20 + (i % 7) * 30);
					futures.put(text, broker.sendAsync(bytes(text), timeout));
				}
			}, "sender-" + t));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join(WAIT.toMillis());
		}
		assertThat(futures).hasSize(2_400);
		futures.forEach((text, future) -> {
			if (text.endsWith("1")) {
				assertThat(future).succeedsWithin(WAIT).isEqualTo(bytes(text));
			}
			else {
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
					.withCauseInstanceOf(AnetTimeoutException.class);
			}
		});
		assertThat(broker.timeouts().size()).isZero();
		await().atMost(WAIT).until(() -> broker.inFlight() == 0);
	}

	/**
	 * Leave the request unanswered, but answer a task id nobody waits for (dropped as a late
	 * answer): the connection speaks, so the broker does not take its silence for a half-open
	 * connection and fail the requests with {@code ConnectionLostException} instead of timing them out.
	 */
	private static void neverAnswer(TestServer.Conn conn, int taskId, byte[] body) throws IOException {
		conn.reply(-1, new byte[0]);
	}

	private TestServer server(TestServer.Responder responder) throws IOException {
		TestServer server = new TestServer(responder);
		this.resources.add(server);
		return server;
	}

	private Broker broker(TestServer server, Duration readTimeout) {
		PoolGroup group = new PoolGroup(List.of(Addresses.parse(server.address())), PoolConfig.builder().build(),
				PoolListener.NONE);
		Broker broker = new Broker(group, BrokerConfig.builder().readTimeout(readTimeout).build());
		this.resources.add(broker);
		return broker;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
