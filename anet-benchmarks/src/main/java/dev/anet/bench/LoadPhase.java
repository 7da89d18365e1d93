package dev.anet.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.anet.broker.Broker;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One phase of a load run, with the reference peers' semantics: N platform caller threads, each
 * taking the next request number until M, sending its own fixed random payload (so an answer
 * routed to the wrong caller fails {@code --verify}) and recording the round-trip time of every
 * successful request in its own HdrHistogram (3 significant digits). No request starts after the
 * run's deadline; one in flight then gets 2 s more before it counts as an error.
 */
final class LoadPhase {

	private static final int ERRORS_LOGGED = 5;

	/**
	 * What every phase of a run shares.
	 *
	 * @param concurrency caller threads
	 * @param size payload bytes
	 * @param verify whether to check every answer
	 * @param async whether to use {@code sendAsync}
	 * @param timeoutNanos the per-request timeout (the broker's {@code readTimeout})
	 * @param deadline the run's deadline ({@link System#nanoTime()})
	 * @param err where failures are reported
	 * @param outstanding with {@code async}: the requests each caller keeps outstanding
	 * @param callerFactory makes the caller threads ({@code null}: platform threads)
	 */
	record Settings(int concurrency, int size, boolean verify, boolean async, long timeoutNanos, long deadline,
			PrintWriter err, int outstanding, @Nullable ThreadFactory callerFactory) {

		Settings(int concurrency, int size, boolean verify, boolean async, long timeoutNanos, long deadline,
				PrintWriter err) {
			this(concurrency, size, verify, async, timeoutNanos, deadline, err, 1, null);
		}

	}

	private final Broker broker;

	private final Settings settings;

	private final long total;

	private final AtomicLong issued = new AtomicLong();

	private final LongAdder done = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final AtomicInteger errorsLogged = new AtomicInteger();

	private final com.sun.management.@Nullable ThreadMXBean threads = threadBean();

	private long allocatedBytes = -1;

	LoadPhase(Broker broker, Settings settings, long total) {
		this.broker = broker;
		this.settings = settings;
		this.total = total;
	}

	/**
	 * Run the phase.
	 * @return what it measured
	 * @throws InterruptedException if interrupted while waiting for the callers
	 */
	LoadResult run() throws InterruptedException {
		int n = this.settings.concurrency();
		Histogram[] histograms = new Histogram[n];
		long[] callerAllocations = new long[n];
		Thread[] callers = new Thread[n];
		for (int i = 0; i < n; i++) {
			byte[] payload = new byte[this.settings.size()];
			new Random(i).nextBytes(payload);
			Histogram histogram = histograms[i] = new Histogram(3);
			// grow it now to the longest round trip it can record, so that it does not grow (allocate) while measuring
			histogram.recordValue(this.settings.timeoutNanos() + LoadCommand.GRACE_NANOS);
			histogram.reset();
			int caller = i;
			Runnable body = () -> {
				long allocatedBefore = currentThreadAllocations();
				if (this.settings.async() && this.settings.outstanding() > 1) {
					loopOutstanding(payload, histogram);
				}
				else {
					loop(payload, histogram);
				}
				callerAllocations[caller] = currentThreadAllocations() - allocatedBefore;
			};
			ThreadFactory factory = this.settings.callerFactory();
			callers[i] = (factory != null) ? factory.newThread(body) : new Thread(body);
			callers[i].setName("caller-" + i);
			callers[i].setDaemon(true);
		}
		Map<Long, Long> before = allocationsByThread();
		long start = System.nanoTime();
		for (Thread caller : callers) {
			caller.start();
		}
		long joinLimit = this.settings.deadline() + 2 * LoadCommand.GRACE_NANOS;
		for (Thread caller : callers) {
			long left = joinLimit - System.nanoTime();
			if (left > 0) {
				TimeUnit.NANOSECONDS.timedJoin(caller, left);
			}
		}
		long elapsed = System.nanoTime() - start;
		measureAllocations(before, callers, callerAllocations);
		Histogram all = new Histogram(3);
		for (Histogram histogram : histograms) {
			all.add(histogram);
		}
		long finished = this.done.sum();
		long failed = this.errors.sum();
		for (Thread caller : callers) {
			if (caller.isAlive()) {
				// stuck past every timeout: count it as failed
				finished++;
				failed++;
			}
		}
		return new LoadResult(finished, failed, elapsed, all);
	}

	/**
	 * Return the bytes the client allocated in the phase: the callers' and every other thread's
	 * that lived through it (the broker's readers and workers), or -1 where the JVM cannot tell.
	 * The latency histograms are sized before the phase starts, so this is the broker's allocation
	 * (and the driver's few objects); JMH's {@code BrokerRoundTripBenchmark -prof gc} gives it too.
	 * @return bytes
	 */
	long allocatedBytes() {
		return this.allocatedBytes;
	}

	private void loop(byte[] payload, Histogram histogram) {
		long deadline = this.settings.deadline();
		while (this.issued.getAndIncrement() < this.total) {
			long t0 = System.nanoTime();
			if (t0 - deadline >= 0) {
				break; // --max-seconds reached: stop and report what was done
			}
			try {
				byte[] answer = call(payload, Math.min(this.settings.timeoutNanos(), deadline + LoadCommand.GRACE_NANOS - t0));
				if (this.settings.verify() && !Arrays.equals(answer, payload)) {
					throw new IOException("payload mismatch: sent " + payload.length + " bytes, got " + answer.length);
				}
				histogram.recordValue(System.nanoTime() - t0);
			}
			catch (Exception ex) {
				failed(ex);
			}
			this.done.increment();
		}
	}

	/**
	 * A caller that keeps {@code outstanding} {@code sendAsync} requests in flight, as a fan-out
	 * written with futures does: it starts {@code outstanding} chains, and each chain sends its next
	 * request from the completion of its last (on the thread that completed it, the broker's reader),
	 * until the phase's count or deadline. So no caller thread is woken per request; the caller waits
	 * for its chains to end. The latency is recorded when each request completes.
	 */
	private void loopOutstanding(byte[] payload, Histogram histogram) {
		int outstanding = this.settings.outstanding();
		CountDownLatch chains = new CountDownLatch(outstanding);
		for (int i = 0; i < outstanding; i++) {
			sendNext(payload, histogram, chains);
		}
		try {
			// every request has its own timeout, at the latest the deadline plus the grace: so do the chains
			long left = this.settings.deadline() + 3 * LoadCommand.GRACE_NANOS / 2 - System.nanoTime();
			chains.await(Math.max(0, left), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Send a chain's next request and have its completion send the one after; a request that
	 * completes at once (refused) is counted and the next goes out here, so the stack stays flat.
	 */
	private void sendNext(byte[] payload, Histogram histogram, CountDownLatch chains) {
		long deadline = this.settings.deadline();
		while (true) {
			long t0 = System.nanoTime();
			if (this.issued.getAndIncrement() >= this.total || t0 - deadline >= 0) {
				chains.countDown();
				return;
			}
			long timeoutNanos = Math.min(this.settings.timeoutNanos(), deadline + LoadCommand.GRACE_NANOS - t0);
			CompletableFuture<byte[]> answer = (timeoutNanos >= this.settings.timeoutNanos())
					? this.broker.sendAsync(payload)
					: this.broker.sendAsync(payload, Duration.ofNanos(Math.max(0, timeoutNanos)));
			if (!answer.isDone()) {
				answer.whenComplete((bytes, failure) -> {
					completed(payload, histogram, t0, bytes, failure);
					sendNext(payload, histogram, chains);
				});
				return;
			}
			byte[] bytes = null;
			Throwable failure = null;
			try {
				bytes = answer.join();
			}
			catch (RuntimeException ex) {
				failure = (ex.getCause() != null) ? ex.getCause() : ex;
			}
			completed(payload, histogram, t0, bytes, failure);
		}
	}

	private void completed(byte[] payload, Histogram histogram, long t0, byte @Nullable [] bytes,
			@Nullable Throwable failure) {
		if (failure == null && this.settings.verify() && !Arrays.equals(bytes, payload)) {
			failure = new IOException("payload mismatch: sent " + payload.length + " bytes, got "
					+ ((bytes != null) ? bytes.length : -1));
		}
		if (failure == null) {
			synchronized (histogram) {
				histogram.recordValue(System.nanoTime() - t0);
			}
		}
		else {
			failed(failure);
		}
		this.done.increment();
	}

	private void failed(Throwable failure) {
		this.errors.increment();
		if (this.errorsLogged.getAndIncrement() < ERRORS_LOGGED) {
			this.settings.err().println("request failed: " + failure);
		}
	}

	private byte[] call(byte[] payload, long timeoutNanos) throws Exception {
		// the broker's readTimeout is the --timeout: pass a Duration only when the run's end is nearer
		boolean own = timeoutNanos >= this.settings.timeoutNanos();
		if (!this.settings.async()) {
			return own ? this.broker.send(payload) : this.broker.send(payload, Duration.ofNanos(Math.max(0, timeoutNanos)));
		}
		CompletableFuture<byte[]> answer = own ? this.broker.sendAsync(payload)
				: this.broker.sendAsync(payload, Duration.ofNanos(Math.max(0, timeoutNanos)));
		try {
			// the broker times the request out; the extra second only guards against a lost completion
			return answer.get(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	private Map<Long, Long> allocationsByThread() {
		Map<Long, Long> allocations = new HashMap<>();
		com.sun.management.ThreadMXBean threads = this.threads;
		if (threads == null) {
			return allocations;
		}
		long[] ids = threads.getAllThreadIds();
		long[] bytes = threads.getThreadAllocatedBytes(ids);
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] >= 0) {
				allocations.put(ids[i], bytes[i]);
			}
		}
		return allocations;
	}

	private void measureAllocations(Map<Long, Long> before, Thread[] callers, long[] callerAllocations) {
		if (this.threads == null) {
			return;
		}
		long sum = 0;
		for (long bytes : callerAllocations) {
			sum += bytes;
		}
		Map<Long, Long> after = allocationsByThread();
		for (Thread caller : callers) {
			after.remove(caller.getId());
		}
		for (Map.Entry<Long, Long> entry : after.entrySet()) {
			sum += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
		}
		this.allocatedBytes = sum;
	}

	private long currentThreadAllocations() {
		com.sun.management.ThreadMXBean threads = this.threads;
		return (threads != null) ? threads.getCurrentThreadAllocatedBytes() : 0;
	}

	private static com.sun.management.@Nullable ThreadMXBean threadBean() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
				&& bean.isThreadAllocatedMemorySupported()) {
			bean.setThreadAllocatedMemoryEnabled(true);
			return bean;
		}
		return null;
	}

}
