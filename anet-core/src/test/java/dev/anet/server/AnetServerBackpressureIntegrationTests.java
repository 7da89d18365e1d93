package dev.anet.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.server.AnetServerTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the per-connection backpressure of {@link AnetServer} ({@code writeQueueDepth}).
 */
class AnetServerBackpressureIntegrationTests {

	private static final int REQUESTS = 1000;

	private static final int ANSWER_SIZE = 60_000;

	private final ServerFixture fixture = new ServerFixture();

	private final AtomicInteger bigHandled = new AtomicInteger();

	@AfterEach
	void cleanUp() {
		this.fixture.close();
	}

	@Test
	void whenPeerDoesNotReadThenServerStopsReadingItWhileOtherConnectionsAreServed() {
		byte[] big = new byte[ANSWER_SIZE];
		this.fixture.start(AnetServerTests.config().writeQueueDepth(4).writeTimeout(Duration.ZERO).build(),
				(connection, request) -> {
					if (new String(request, StandardCharsets.UTF_8).equals("big")) {
						this.bigHandled.incrementAndGet();
						return big;
					}
					return request;
				}, ServerListener.NONE);
		TestClient notReading = this.fixture.connect(4096);
		byte[][] requests = new byte[REQUESTS][];
		for (int i = 0; i < REQUESTS; i++) {
			requests[i] = Frames.encode(i, bytes("big"));
		}
		// ~60 MB of answers, far more than the socket buffers hold
		notReading.sendRaw(AnetServerIntegrationTests.concat(requests));
		AtomicInteger lastSeen = new AtomicInteger(-1);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				int now = this.bigHandled.get();
				return now > 0 && now == lastSeen.getAndSet(now);
			});
		int stalled = this.bigHandled.get();
		assertThat(stalled).as("requests handled while the peer does not read").isLessThan(REQUESTS);
		TestClient other = this.fixture.connect();
		for (int i = 0; i < 10; i++) {
			assertThat(other.request(bytes("small-" + i))).asString(StandardCharsets.UTF_8).isEqualTo("small-" + i);
		}
		assertThat(this.bigHandled.get()).as("still stalled").isEqualTo(stalled);
		// once the peer reads, the server reads its remaining requests and answers them all
		Map<Integer, byte[]> answers = notReading.receive(REQUESTS);
		assertThat(answers).hasSize(REQUESTS).allSatisfy((taskId, body) -> assertThat(body).hasSize(ANSWER_SIZE));
		assertThat(this.bigHandled.get()).isEqualTo(REQUESTS);
	}

}
