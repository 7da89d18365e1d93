package dev.anet.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.frame.Frames;
import dev.anet.pool.PoolConfig;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code soak}: many requests through a {@link Broker} and an echo {@link AnetServer} (in this JVM,
 * or the one at {@code --port}), every answer checked, the heap watched.
 *
 * <pre>
 *   warm-up ──► GC until settled: heap_start, threads_start
 *           ──► --requests, sampling the used heap every --sample-seconds (no GC) to stderr
 *           ──► GC until settled: heap_end, threads_end ──► one JSON line on stdout
 * </pre>
 *
 * Both heap figures are taken with the callers stopped and the broker (and server) still open, so
 * they compare like with like. Exit status 0 when every request was answered with its own echo and
 * the heap after GC grew by at most {@code --max-growth-pct}; 1 otherwise (errors, growth, or
 * {@code --max-seconds} reached first); 2 for bad flags or a JVM whose {@code System.gc()} is not
 * a full collection.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Sends many verified requests through a broker and an echo server, watching the heap; prints one JSON line.")
public final class SoakCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host with --port; loopback only.")
	String host = "127.0.0.1";

	@Option(names = "--port",
			description = "Port of a running anet echo server; without it the command runs its own on 127.0.0.1.")
	@Nullable Integer port;

	@Option(names = "--connections", defaultValue = "8", description = "Pool capacity (connections to the server).")
	int connections = 8;

	@Option(names = { "--concurrency", "--callers" }, defaultValue = "64", description = "Caller threads.")
	int concurrency = 64;

	@Option(names = "--requests", defaultValue = "10000000", description = "Requests to send after the warm-up.")
	long requests = 10_000_000;

	@Option(names = "--warmup", defaultValue = "200000", description = "Requests sent before the first heap figure.")
	long warmup = 200_000;

	@Option(names = "--size", defaultValue = "64",
			description = "Payload bytes per request (" + EchoCallers.MIN_SIZE + "..65531): caller and request number, then random bytes.")
	int size = 64;

	@Option(names = "--max-seconds", defaultValue = "900",
			description = "Bound on the whole run, warm-up included; no request starts after it.")
	double maxSeconds = 900;

	@Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10s",
			description = "Per-request timeout (250ms, 2s, PT2S). Default: ${DEFAULT-VALUE}.")
	Duration timeout = Duration.ofSeconds(10);

	@Option(names = "--sample-seconds", defaultValue = "5", description = "Seconds between heap samples (without GC) on stderr.")
	double sampleSeconds = 5;

	@Option(names = "--max-growth-pct", defaultValue = "10",
			description = "Largest heap growth (after GC, end over start) that passes.")
	double maxGrowthPct = 10;

	@Option(names = "--virtual-threads",
			description = "Give the in-process server and the broker virtual threads (JDK 21+); callers stay platform threads.")
	boolean virtualThreads;

	@Override
	public Integer call() throws InterruptedException {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		String gcProblem = HeapProbe.explicitGcProblem();
		if (gcProblem != null) {
			err.println("soak: " + gcProblem);
			err.flush();
			return 2;
		}
		ThreadFactory factory = this.virtualThreads ? VirtualThreads.factory() : null;
		long deadline = System.nanoTime() + (long) (this.maxSeconds * 1e9);
		AnetServer server = null;
		Broker broker = null;
		try {
			InetSocketAddress address;
			if (this.port == null) {
				server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).threadFactory(factory).build(),
						(connection, request) -> request);
				server.start();
				address = new InetSocketAddress("127.0.0.1", server.port());
			}
			else {
				address = new InetSocketAddress(this.host, this.port);
			}
			try {
				broker = open(address, factory);
			}
			catch (AnetException ex) {
				err.println("soak: cannot connect to " + address + ": " + ex);
				err.flush();
				return 1;
			}
			Result result = soak(broker, deadline, err);
			out.println(result.json());
			out.flush();
			return result.passed(this.requests, this.maxGrowthPct, err) ? 0 : 1;
		}
		finally {
			if (broker != null) {
				broker.close();
			}
			if (server != null) {
				server.stop();
			}
			err.flush();
		}
	}

	private Result soak(Broker broker, long deadline, PrintWriter err) throws InterruptedException {
		HeapProbe heap = new HeapProbe();
		EchoCallers callers = new EchoCallers(broker, this.concurrency, this.size, this.timeout.toNanos(), err);
		if (this.warmup > 0) {
			EchoCallers.Outcome warm = callers.run(this.warmup, deadline);
			err.printf(Locale.ROOT, "soak: warm-up %d requests, %d errors, %.0f rps%n", warm.requests(), warm.errors(),
					warm.rps());
		}
		long heapStart = heap.usedAfterGc();
		int threadsStart = heap.threads();
		Map<String, Integer> rolesStart = HeapProbe.threadsByRole();
		err.printf(Locale.ROOT, "soak: start: heap after GC %.1f MiB (max %.0f MiB), %d threads%n", mib(heapStart),
				mib(heap.max()), threadsStart);
		err.flush();
		AtomicLong maxUsed = new AtomicLong(heap.used());
		long sampleNanos = Math.max(1, (long) (this.sampleSeconds * 1e9));
		long start = System.nanoTime();
		long doneBefore = callers.done();
		long errorsBefore = callers.errors();
		Thread sampler = new Thread(() -> {
			long last = doneBefore;
			long lastAt = start;
			while (!Thread.currentThread().isInterrupted()) {
				LockSupport.parkNanos(sampleNanos);
				long used = heap.used();
				maxUsed.accumulateAndGet(used, Math::max);
				long now = System.nanoTime();
				long done = callers.done();
				synchronized (err) {
					err.printf(Locale.ROOT, "soak: %6.0f s  %,d requests (%,.0f rps)  %d errors  heap used %.1f MiB  %d threads%n",
							(now - start) / 1e9, done - doneBefore, (done - last) / ((now - lastAt) / 1e9),
							callers.errors() - errorsBefore, mib(used), heap.threads());
					err.flush();
				}
				last = done;
				lastAt = now;
			}
		}, "soak-heap-sampler");
		sampler.setDaemon(true);
		sampler.start();
		EchoCallers.Outcome measured = callers.run(this.requests, deadline);
		sampler.interrupt();
		sampler.join(TimeUnit.SECONDS.toMillis(5));
		maxUsed.accumulateAndGet(heap.used(), Math::max);
		long heapEnd = heap.usedAfterGc();
		int threadsEnd = heap.threads();
		err.printf(Locale.ROOT, "soak: end: heap after GC %.1f MiB, %d threads, %d requests in flight, %d late answers%n",
				mib(heapEnd), threadsEnd, broker.inFlight(), broker.lateResponses());
		err.println("soak: threads by role, start -> end: " + HeapProbe.threadChanges(rolesStart, HeapProbe.threadsByRole()));
		return new Result(measured, heapStart, heapEnd, maxUsed.get(), threadsStart, threadsEnd, heap.max(),
				this.virtualThreads);
	}

	private Broker open(InetSocketAddress address, @Nullable ThreadFactory factory) {
		return Targets.preDialledBroker(address, PoolConfig.builder().capacity(this.connections).build(),
				BrokerConfig.builder().readTimeout(this.timeout).threadFactory(factory).build());
	}

	private void validate() {
		if (this.port != null) {
			String problem = Targets.loopbackProblem(this.host, this.port);
			if (problem != null) {
				throw bad(problem);
			}
		}
		if (this.connections < 1 || this.concurrency < 1) {
			throw bad("--connections and --concurrency must be at least 1");
		}
		if (this.requests < 1 || this.warmup < 0) {
			throw bad("--requests must be at least 1 and --warmup 0 or more");
		}
		if (this.size < EchoCallers.MIN_SIZE || this.size > Frames.MAX_BODY_SIZE) {
			throw bad("--size must be in " + EchoCallers.MIN_SIZE + ".." + Frames.MAX_BODY_SIZE + " but was " + this.size);
		}
		if (!(this.maxSeconds > 0) || !(this.sampleSeconds > 0)) {
			throw bad("--max-seconds and --sample-seconds must be more than 0");
		}
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw bad("--timeout must be more than 0 but was " + this.timeout);
		}
		if (this.virtualThreads && !VirtualThreads.available()) {
			throw bad("--virtual-threads needs JDK 21 or later; this is JDK " + Runtime.version());
		}
	}

	private ParameterException bad(String message) {
		return new ParameterException(this.spec.commandLine(), message);
	}

	private static double mib(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	/**
	 * What a soak measured.
	 */
	private record Result(EchoCallers.Outcome outcome, long heapStart, long heapEnd, long maxUsed, int threadsStart,
			int threadsEnd, long xmx, boolean virtualThreads) {

		double growthPct() {
			return (this.heapStart > 0) ? (this.heapEnd - this.heapStart) * 100.0 / this.heapStart : 0;
		}

		boolean passed(long wanted, double maxGrowthPct, PrintWriter err) {
			boolean passed = true;
			if (this.outcome.errors() > 0) {
				err.println("soak: FAILED: " + this.outcome.errors() + " errors");
				passed = false;
			}
			if (this.outcome.requests() < wanted) {
				err.println("soak: FAILED: --max-seconds reached after " + this.outcome.requests() + " of " + wanted
						+ " requests");
				passed = false;
			}
			if (growthPct() > maxGrowthPct) {
				err.printf(Locale.ROOT, "soak: FAILED: the heap after GC grew by %.1f %% (more than %.1f %%)%n", growthPct(),
						maxGrowthPct);
				passed = false;
			}
			return passed;
		}

		String json() {
			return String.format(Locale.ROOT,
					"{\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,\"rps\":%.1f,\"heap_start_bytes\":%d,"
							+ "\"heap_end_bytes\":%d,\"heap_growth_pct\":%.2f,\"max_heap_sampled_bytes\":%d,"
							+ "\"threads_start\":%d,\"threads_end\":%d,\"xmx_bytes\":%d,\"virtual_threads\":%b,\"jdk\":\"%s\"}",
					this.outcome.requests(), this.outcome.errors(), this.outcome.seconds(), this.outcome.rps(),
					this.heapStart, this.heapEnd, growthPct(), this.maxUsed, this.threadsStart, this.threadsEnd, this.xmx,
					this.virtualThreads, Runtime.version());
		}

	}

}
