package dev.anet.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.anet.broker.Broker;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends requests through a broker and records, for each call, its payload, its deadline, how long
 * the caller waited and what it got; then checks the promises of the reliability suite over all the
 * calls: nobody waited past the deadline plus a margin, and every answer is the caller's own.
 * Every payload is distinct and the server echoes it, so an answer that differs from its request
 * was delivered to the wrong caller.
 */
final class Calls {

	/**
	 * What a caller may wait beyond its deadline: scheduling on a busy 2-core machine, not a
	 * forgotten caller (which waits for readTimeout or forever).
	 */
	static final Duration MARGIN = Duration.ofMillis(1500);

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	/**
	 * One finished call.
	 *
	 * @param payload what was sent
	 * @param deadline the caller's timeout
	 * @param nanos how long the caller waited
	 * @param answer the answer, if any
	 * @param failure the failure, if any
	 */
	record Call(String payload, Duration deadline, long nanos, byte @Nullable [] answer, @Nullable Throwable failure) {

		boolean succeeded() {
			return this.failure == null;
		}

		Duration waited() {
			return Duration.ofNanos(this.nanos);
		}

	}

	/**
	 * Send and wait, recording the outcome (a failure is recorded, not thrown).
	 * @param broker the broker
	 * @param payload a payload no other call uses
	 * @param deadline the caller's timeout
	 * @return the call
	 */
	Call send(Broker broker, String payload, Duration deadline) {
		long start = System.nanoTime();
		Call call;
		try {
			byte[] answer = broker.send(payload.getBytes(StandardCharsets.UTF_8), deadline);
			call = new Call(payload, deadline, System.nanoTime() - start, answer, null);
		}
		catch (RuntimeException ex) {
			call = new Call(payload, deadline, System.nanoTime() - start, null, ex);
		}
		this.calls.add(call);
		return call;
	}

	/**
	 * Send without waiting; the outcome is recorded when the future completes.
	 * @param broker the broker
	 * @param payload a payload no other call uses
	 * @param deadline the caller's timeout
	 * @return the future of the call
	 */
	CompletableFuture<Call> sendAsync(Broker broker, String payload, Duration deadline) {
		long start = System.nanoTime();
		return broker.sendAsync(payload.getBytes(StandardCharsets.UTF_8), deadline).handle((answer, failure) -> {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
					: failure;
			Call call = new Call(payload, deadline, System.nanoTime() - start, answer, cause);
			this.calls.add(call);
			return call;
		});
	}

	List<Call> all() {
		return List.copyOf(this.calls);
	}

	List<Call> successes() {
		return this.calls.stream().filter(Call::succeeded).toList();
	}

	List<Call> failures() {
		return this.calls.stream().filter((call) -> !call.succeeded()).toList();
	}

	/**
	 * Promise 1: no caller waited past its deadline plus {@link #MARGIN}.
	 */
	void assertNoCallerWaitedPastItsDeadline() {
		assertThat(this.calls).as("calls made").isNotEmpty();
		for (Call call : this.calls) {
			assertThat(call.waited()).as("wait of %s (deadline %s, outcome %s)", call.payload(), call.deadline(),
					call.succeeded() ? "answer" : call.failure())
				.isLessThanOrEqualTo(call.deadline().plus(MARGIN));
		}
	}

	/**
	 * Promise 2: every answer is the one for its own request.
	 */
	void assertEveryAnswerIsTheCallersOwn() {
		for (Call call : successes()) {
			assertThat(Arrays.equals(call.answer(), call.payload().getBytes(StandardCharsets.UTF_8)))
				.as("answer to %s was %s", call.payload(),
						new String(call.answer(), StandardCharsets.UTF_8))
				.isTrue();
		}
	}

	/**
	 * Promise 3 (and the clear exception of the others): every failure is one of the given types.
	 * @param allowed the exception types a caller may see
	 */
	@SafeVarargs
	final void assertFailuresAreOnly(Class<? extends Throwable>... allowed) {
		for (Call call : failures()) {
			assertThat(call.failure()).as("failure of %s", call.payload()).isInstanceOfAny(allowed);
		}
	}

}
