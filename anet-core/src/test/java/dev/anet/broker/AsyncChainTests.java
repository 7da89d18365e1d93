package dev.anet.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.testsupport.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sendAsync} called from a completion, on the connection's reader thread (a chain of
 * requests written with futures): the request waits for the end of the reader's batch and is
 * written by the broker's writer, so the reader never waits on a write; and every chain finishes.
 */
class AsyncChainTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private TestServer server;

	private Broker broker(int connections) throws Exception {
		this.server = new TestServer(TestServer.echo());
		this.resources.add(this.server);
		PoolGroup group = new PoolGroup(List.of(Addresses.parse(this.server.address())),
				PoolConfig.builder().capacity(connections).build(), PoolListener.NONE);
		Broker broker = new Broker(group, BrokerConfig.defaults());
		this.resources.add(broker);
		return broker;
	}

	@Test
	void whenACompletionSendsThenTheRequestWaitsForTheEndOfTheReadersBatch() throws Exception {
		Broker broker = broker(1);
		CompletableFuture<Integer> queuedInCallback = new CompletableFuture<>();
		CompletableFuture<byte[]> second = new CompletableFuture<>();
		broker.sendAsync(bytes("first")).whenComplete((answer, failure) -> {
			// on the reader thread: the next request is queued, not written here
			CompletableFuture<byte[]> next = broker.sendAsync(bytes("second"));
			queuedInCallback.complete(broker.queueSize());
			next.whenComplete((a, f) -> {
				if (f != null) {
					second.completeExceptionally(f);
				}
				else {
					second.complete(a);
				}
			});
		});

		assertThat(queuedInCallback.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(second.get(10, TimeUnit.SECONDS)).asString(StandardCharsets.US_ASCII).isEqualTo("second");
	}

	@Test
	void whenEveryRequestIsSentFromTheLastOnesCompletionThenEveryChainFinishes() throws Exception {
		Broker broker = broker(2);
		int chains = 32;
		int perChain = 300;
		CountDownLatch done = new CountDownLatch(chains);
		Queue<String> problems = new ConcurrentLinkedQueue<>();
		for (int c = 0; c < chains; c++) {
			new Chain(broker, c, perChain, done, problems).next();
		}

		assertThat(done.await(60, TimeUnit.SECONDS)).as("every chain finished").isTrue();
		assertThat(problems).isEmpty();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** A chain of requests, each sent from the completion of the one before. */
	private record Chain(Broker broker, int id, int length, CountDownLatch done, Queue<String> problems) {

		void next() {
			send(0);
		}

		private void send(int i) {
			if (i == this.length) {
				this.done.countDown();
				return;
			}
			String body = "chain" + this.id + "-" + i;
			this.broker.sendAsync(bytes(body)).whenComplete((answer, failure) -> {
				if (failure != null) {
					this.problems.add(body + ": " + failure);
					this.done.countDown();
					return;
				}
				if (!body.equals(new String(answer, StandardCharsets.US_ASCII))) {
					this.problems.add(body + ": answered " + new String(answer, StandardCharsets.US_ASCII));
				}
				send(i + 1);
			});
		}

	}

}
