package dev.anet.bench;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.anet.broker.Broker;

/**
 * Caller threads that send through a {@link Broker} to an echo server and check every answer, for
 * the long runs ({@code soak}, {@code idle}).
 *
 * <p>Every request is distinct: its first 4 bytes are the caller's number, the next 8 the
 * request's number, the rest the caller's own random bytes. An answer that is not the exact echo of
 * its own request (another caller's, another request's, cut short) is an error. No request starts
 * after the deadline; one in flight then gets {@link #GRACE_NANOS} more, and a caller still stuck
 * after that counts as one more error.
 */
final class EchoCallers {

	/** The smallest payload: caller number and request number. */
	static final int MIN_SIZE = 12;

	/** Extra time a request in flight at the deadline gets (as the load command's). */
	static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

	private static final int ERRORS_LOGGED = 5;

	/**
	 * What a run did.
	 *
	 * @param requests requests finished (answered or failed)
	 * @param errors requests that failed or got a wrong answer
	 * @param nanos how long the run took
	 */
	record Outcome(long requests, long errors, long nanos) {

		double seconds() {
			return this.nanos / 1e9;
		}

		double rps() {
			return (this.nanos > 0) ? (this.requests - this.errors) / seconds() : 0;
		}

	}

	private final Broker broker;

	private final int callers;

	private final int size;

	private final long timeoutNanos;

	private final PrintWriter err;

	private final LongAdder done = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final AtomicInteger errorsLogged = new AtomicInteger();

	/**
	 * Create the callers (started by {@link #run}).
	 * @param broker the broker, with an echo server behind it
	 * @param callers caller threads
	 * @param size payload bytes, at least {@link #MIN_SIZE}
	 * @param timeoutNanos per-request timeout
	 * @param err where the first failures are reported
	 */
	EchoCallers(Broker broker, int callers, int size, long timeoutNanos, PrintWriter err) {
		if (size < MIN_SIZE) {
			throw new IllegalArgumentException("size must be at least " + MIN_SIZE + " but was " + size);
		}
		this.broker = broker;
		this.callers = callers;
		this.size = size;
		this.timeoutNanos = timeoutNanos;
		this.err = err;
	}

	/**
	 * Return the requests finished so far, over every run (for progress reports).
	 * @return the count
	 */
	long done() {
		return this.done.sum();
	}

	/**
	 * Return the requests failed so far, over every run.
	 * @return the count
	 */
	long errors() {
		return this.errors.sum();
	}

	/**
	 * Send {@code total} requests from the caller threads and wait for them.
	 * @param total requests to send
	 * @param deadline no request starts after this {@link System#nanoTime()}
	 * @return what this run did
	 * @throws InterruptedException if interrupted while waiting for the callers
	 */
	Outcome run(long total, long deadline) throws InterruptedException {
		long doneBefore = this.done.sum();
		long errorsBefore = this.errors.sum();
		AtomicLong issued = new AtomicLong();
		Thread[] threads = new Thread[this.callers];
		for (int i = 0; i < this.callers; i++) {
			int caller = i;
			threads[i] = new Thread(() -> loop(caller, issued, total, deadline), "echo-caller-" + i);
			threads[i].setDaemon(true);
		}
		long start = System.nanoTime();
		for (Thread thread : threads) {
			thread.start();
		}
		// from the start at the latest: a run that starts after its deadline still lets its callers see that and end
		long joinLimit = (deadline - start > 0 ? deadline : start) + 2 * GRACE_NANOS;
		for (Thread thread : threads) {
			long left = joinLimit - System.nanoTime();
			if (left > 0) {
				TimeUnit.NANOSECONDS.timedJoin(thread, left);
			}
		}
		long elapsed = System.nanoTime() - start;
		long requests = this.done.sum() - doneBefore;
		long failed = this.errors.sum() - errorsBefore;
		for (Thread thread : threads) {
			if (thread.isAlive()) {
				requests++;
				failed++;
				report("caller " + thread.getName() + " is still waiting " + (2 * GRACE_NANOS / 1_000_000)
						+ " ms after the deadline");
			}
		}
		return new Outcome(requests, failed, elapsed);
	}

	private void loop(int caller, AtomicLong issued, long total, long deadline) {
		byte[] template = new byte[this.size];
		new Random(caller).nextBytes(template);
		ByteBuffer.wrap(template).putInt(caller);
		for (long n = issued.getAndIncrement(); n < total; n = issued.getAndIncrement()) {
			long now = System.nanoTime();
			if (now - deadline >= 0) {
				return;
			}
			byte[] request = template.clone();
			ByteBuffer.wrap(request, 4, 8).putLong(n);
			try {
				long left = Math.min(this.timeoutNanos, deadline + GRACE_NANOS - now);
				byte[] answer = this.broker.send(request, Duration.ofNanos(left));
				if (!Arrays.equals(answer, request)) {
					this.errors.increment();
					report("caller " + caller + " request " + n + ": the answer (" + answer.length
							+ " bytes) is not the echo of the request (" + request.length + " bytes)");
				}
			}
			catch (RuntimeException ex) {
				this.errors.increment();
				report("caller " + caller + " request " + n + " failed: " + ex);
			}
			this.done.increment();
		}
	}

	private void report(String message) {
		if (this.errorsLogged.getAndIncrement() < ERRORS_LOGGED) {
			synchronized (this.err) {
				this.err.println(message);
				this.err.flush();
			}
		}
	}

}
