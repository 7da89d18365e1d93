package dev.anet.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.anet.AnetException;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.testsupport.TestServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
/**
 * A blocking caller returns once its request is {@linkplain Request#isSettled() settled}, not as
 * soon as it is done: the thread that finishes a request (a reader with the answer, the timeout, a
 * close) moves it to DONE first and writes the outcome and the counts after, so a caller woken
 * early (a stale unpark, a spurious wake-up, its own deadline) that took DONE for the outcome could
 * return before its answer was written, a {@code null} answer (seen once in a benchmark run), or
 * before its meters counted it.
 */
class RequestSettleTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void whenTheCallerIsWokenBeforeTheAnswerIsSettledThenItWaitsForIt() throws Exception {
		HeldListener listener = new HeldListener();
		Broker broker = brokerToEcho(listener);
		Sending sending = sendOnItsOwnThread(() -> broker.send(ascii("ping")));
		// the reader got the answer and holds in the broker's listener: the request is done, its
		// outcome not yet settled
		assertThat(listener.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		for (int i = 0; i < 2_000 && !sending.answer.isDone(); i++) {
			// wake-ups the caller did not ask for
			LockSupport.unpark(sending.thread);
			Thread.onSpinWait();
		}
		await().during(Duration.ofMillis(50)).atMost(WAIT).until(() -> {
			LockSupport.unpark(sending.thread);
			return !sending.answer.isDone();
		});
		assertThat(sending.answer).as("send returned before its outcome was settled").isNotDone();
		listener.release.countDown();
		assertThat(sending.answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).asString(StandardCharsets.US_ASCII)
			.isEqualTo("ping");
		assertThat(listener.completed).hasValue(1);
	}

	@Test
	void whenTheCallersDeadlinePassesWhileTheAnswerIsSettledThenItGetsTheAnswer() throws Exception {
		HeldListener listener = new HeldListener();
		Broker broker = brokerToEcho(listener);
		Sending sending = sendOnItsOwnThread(() -> broker.send(ascii("late"), Duration.ofMillis(200)));
		assertThat(listener.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		// the deadline passes while the reader holds: the answer won, the timeout finds the request done
		await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> !sending.answer.isDone());
		assertThat(sending.answer).isNotDone();
		listener.release.countDown();
		assertThat(sending.answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).asString(StandardCharsets.US_ASCII)
			.isEqualTo("late");
	}

	@Test
	void whenARequestIsDoneItIsSettledOnceItsOutcomeIsWritten() {
		Broker broker = broker(null, BrokerListener.NONE);
		Request request = new Request(broker, new byte[] { 0 }, System.nanoTime(), WAIT.toNanos());
		assertThat(request.isSettled()).isFalse();
		assertThat(request.succeed(new byte[] { 1 })).isTrue();
		assertThat(request.isDone()).isTrue();
		assertThat(request.isSettled()).isTrue();
		assertThat(request.fail(new AnetException("late"), RequestOutcome.ERROR)).isFalse();
		assertThat(request.result()).containsExactly(1);
	}

	private Broker brokerToEcho(BrokerListener listener) throws IOException {
		TestServer server = new TestServer(TestServer.echo());
		this.resources.add(server);
		return broker(server, listener);
	}

	/** Send on a daemon thread of its own; the future completes with what the send returned or threw. */
	private static Sending sendOnItsOwnThread(Supplier<byte[]> send) {
		CompletableFuture<byte @Nullable []> answer = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				answer.complete(send.get());
			}
			catch (Throwable ex) {
				answer.completeExceptionally(ex);
			}
		}, "sender");
		thread.setDaemon(true);
		thread.start();
		return new Sending(thread, answer);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private Broker broker(@Nullable TestServer server, BrokerListener listener) {
		String address = (server != null) ? server.address() : "127.0.0.1:1";
		PoolGroup group = new PoolGroup(List.of(Addresses.parse(address)), PoolConfig.builder().build(),
				PoolListener.NONE);
		Broker broker = new Broker(group, BrokerConfig.builder().readTimeout(Duration.ofSeconds(30)).build(),
				listener);
		this.resources.add(broker);
		return broker;
	}

	private record Sending(Thread thread, CompletableFuture<byte @Nullable []> answer) {
	}

	/** Holds the first successful request's completion (on the reader) until released. */
	private static final class HeldListener implements BrokerListener {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger completed = new AtomicInteger();

		@Override
		public void requestCompleted(RequestOutcome outcome, @Nullable Throwable failure, long nanos) {
			if (outcome == RequestOutcome.SUCCESS && this.entered.getCount() > 0) {
				this.entered.countDown();
				try {
					if (!this.release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
						throw new IllegalStateException("not released");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.completed.incrementAndGet();
		}

	}

}
