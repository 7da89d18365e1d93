package dev.anet.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load test of {@link AnetServer}: many connections, each with requests in flight at the same time,
 * every payload verified.
 */
class AnetServerLoadIntegrationTests {

	private static final int CLIENT_THREADS = 8;

	private static final int CONNECTIONS_PER_THREAD = 125;

	private static final int ROUNDS = 20;

	private final RecordingListener listener = new RecordingListener();

	private AnetServer server;

	private ExecutorService clientThreads;

	@AfterEach
	void cleanUp() {
		if (this.clientThreads != null) {
			this.clientThreads.shutdownNow();
		}
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void whenAThousandConnectionsSendConcurrentlyThenEveryRequestIsAnsweredCorrectly() throws Exception {
		this.server = new AnetServer(AnetServerTests.config().build(), (connection, request) -> reversed(request),
				this.listener);
		this.server.start();
		this.clientThreads = Executors.newFixedThreadPool(CLIENT_THREADS);
		List<Future<Integer>> results = new ArrayList<>();
		for (int t = 0; t < CLIENT_THREADS; t++) {
			int thread = t;
			results.add(this.clientThreads.submit(() -> runClient(thread)));
		}
		int answered = 0;
		for (Future<Integer> result : results) {
			answered += result.get(60, TimeUnit.SECONDS);
		}
		int total = CLIENT_THREADS * CONNECTIONS_PER_THREAD * ROUNDS;
		assertThat(answered).isEqualTo(total);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.listener.count(HandlerOutcome.SUCCESS)).isEqualTo(total);
			assertThat(this.listener.opened.get()).isEqualTo(CLIENT_THREADS * CONNECTIONS_PER_THREAD);
			assertThat(this.listener.open()).isZero();
			assertThat(this.server.activeConnections()).isZero();
		});
		assertThat(this.listener.count(HandlerOutcome.ERROR)).isZero();
		assertThat(this.listener.rejected.get()).isZero();
	}

	/**
	 * One client thread: opens its connections, then in each round sends one request on every
	 * connection before it reads the answers, so all of them are in flight at once.
	 */
	private int runClient(int thread) {
		List<TestClient> connections = new ArrayList<>();
		try {
			for (int i = 0; i < CONNECTIONS_PER_THREAD; i++) {
				connections.add(TestClient.connect(this.server.port()));
			}
			int answered = 0;
			byte[][] sent = new byte[CONNECTIONS_PER_THREAD][];
			for (int round = 0; round < ROUNDS; round++) {
				for (int i = 0; i < CONNECTIONS_PER_THREAD; i++) {
					sent[i] = payload(thread, i, round);
					connections.get(i).send(round, sent[i]);
				}
				for (int i = 0; i < CONNECTIONS_PER_THREAD; i++) {
					TestClient.Frame answer = connections.get(i).receive();
					if (answer.taskId() != round || !Arrays.equals(answer.body(), reversed(sent[i]))) {
						throw new AssertionError("Wrong answer on connection " + i + " of thread " + thread
								+ " in round " + round + ": task id " + answer.taskId());
					}
					answered++;
				}
			}
			return answered;
		}
		finally {
			connections.forEach(TestClient::close);
		}
	}

	private static byte[] payload(int thread, int connection, int round) {
		int size = 8 + ThreadLocalRandom.current().nextInt(200);
		ByteBuffer buffer = ByteBuffer.allocate(size).putInt(thread).putShort((short) connection).putShort((short) round);
		while (buffer.hasRemaining()) {
			buffer.put((byte) ThreadLocalRandom.current().nextInt());
		}
		return buffer.array();
	}

	private static byte[] reversed(byte[] bytes) {
		byte[] reversed = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			reversed[i] = bytes[bytes.length - 1 - i];
		}
		return reversed;
	}

}
