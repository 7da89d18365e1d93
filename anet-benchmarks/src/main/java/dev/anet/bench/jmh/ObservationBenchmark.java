package dev.anet.bench.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.boot.observation.AnetMeterObservationHandler;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The cost of the starter's observations on a broker round trip (64 callers, 8 connections, the
 * server in a child JVM), as an application with a meter registry and no tracer has it:
 * {@code off} is a broker whose listener is {@link AnetMetrics} (the {@code anet.broker.requests}
 * timer), {@code on} is a broker with the {@link ObservationBrokerInterceptor} over an
 * {@link ObservationRegistry} whose meter handler makes that timer (and {@link AnetMetrics} without
 * its own). {@code on} keeps the meter handler's default long task timer
 * ({@code anet.broker.requests.active}), as Spring Boot does unless
 * {@code management.metrics.observations.ignored-meters=long-task-timer};
 * {@code on-without-long-task-timer} leaves it out; {@code starter} is what the starter configures
 * with Boot: the {@link AnetMeterObservationHandler} before Boot's handler in one first-matching
 * group (the same meters, long task timer included), and {@code starter-without-long-task-timer}
 * the same without it; {@code no-handler} has the interceptor over a
 * registry without handlers (the interceptor's own cost: Micrometer then makes no-op observations).
 * Besides the throughput, each trial prints the CPU time per send of this JVM and of the server
 * ({@code cpu per send: client … us, server … us}), which moves less than the throughput with what
 * else the machine runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(64)
public class ObservationBenchmark {

	/** Every mode, as {@link #observations} takes them. */
	static final List<String> MODES = List.of("off", "on", "starter", "on-without-long-task-timer",
			"starter-without-long-task-timer", "no-handler");

	@Param({ "off", "on", "starter", "on-without-long-task-timer", "starter-without-long-task-timer", "no-handler" })
	String observations = "off";

	@Param({ "64" })
	int size;

	private @Nullable ChildServer child;

	private Broker broker = null;

	/** Sends; CPU time of this JVM and of the server, at the start of the iteration and in the measured ones. */
	private final LongAdder sent = new LongAdder();

	private long iterationSent;

	private long iterationClientCpu;

	private long iterationServerCpu;

	private long measuredSent;

	private long measuredClientCpu;

	private long measuredServerCpu;

	/** One payload per caller thread. */
	@State(Scope.Thread)
	public static class Payload {

		private static final java.util.concurrent.atomic.AtomicInteger callers = new java.util.concurrent.atomic.AtomicInteger();

		byte[] bytes = new byte[0];

		@Setup
		public void setUp(ObservationBenchmark benchmark) {
			this.bytes = new byte[benchmark.size];
			new Random(callers.getAndIncrement()).nextBytes(this.bytes);
		}

	}

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.broker = broker(this.observations, startChild(), 8, new SimpleMeterRegistry());
	}

	/**
	 * The broker of a mode (shared with {@link ObservationsCommand}): {@code off} has the
	 * {@link AnetMetrics} request timer, every other mode the {@link ObservationBrokerInterceptor}
	 * over an {@link ObservationRegistry} with the mode's {@link #meterHandler meter handler}.
	 * @param mode the {@code observations} parameter
	 * @param port the echo server's port on 127.0.0.1
	 * @param connections the pool's capacity
	 * @param meters the meter registry of the mode
	 * @return the broker
	 */
	static Broker broker(String mode, int port, int connections, SimpleMeterRegistry meters) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port), PoolConfig.builder().capacity(connections).build());
		boolean observed = !"off".equals(mode);
		BrokerConfig.Builder config = BrokerConfig.builder();
		if (observed) {
			ObservationRegistry registry = ObservationRegistry.create();
			ObservationHandler<?> handler = meterHandler(mode, meters);
			if (handler != null) {
				registry.observationConfig().observationHandler(handler);
			}
			config.interceptor(new ObservationBrokerInterceptor(registry, null, AnetTracePropagation.NONE));
		}
		Broker[] holder = new Broker[1];
		AnetMetrics metrics = new AnetMetrics(AnetMetrics.DEFAULT_CLIENT, () -> null, () -> holder[0], () -> null,
				(request) -> null, !observed);
		Broker broker = new Broker(pools, config.build(), metrics);
		holder[0] = broker;
		metrics.bindTo(meters);
		return broker;
	}

	/**
	 * The meter handler of a mode (shared with {@link ObservationCostBenchmark}): Boot's default
	 * handler alone ({@code on...}), or as Spring Boot registers them with the starter, one
	 * first-matching group of the {@link AnetMeterObservationHandler} and, after it, Boot's
	 * ({@code starter...}); {@code ...-without-long-task-timer} leaves the long task timer out of
	 * both. {@code null} for the modes without one ({@code off}, {@code no-handler}).
	 * @param mode the {@code observations} parameter
	 * @param meters the meter registry
	 * @return the handler, or {@code null}
	 * @throws IllegalArgumentException for a mode that is none of the {@code observations} values
	 */
	static @Nullable ObservationHandler<?> meterHandler(String mode, SimpleMeterRegistry meters) {
		if (!MODES.contains(mode)) {
			throw new IllegalArgumentException("Unknown observations mode '" + mode + "': one of " + MODES);
		}
		IgnoredMeters[] ignored = mode.endsWith("-without-long-task-timer")
				? new IgnoredMeters[] { IgnoredMeters.LONG_TASK_TIMER } : new IgnoredMeters[0];
		if (mode.startsWith("starter")) {
			return new FirstMatchingCompositeObservationHandler(new AnetMeterObservationHandler(meters, ignored),
					new DefaultMeterObservationHandler(meters, ignored));
		}
		if (mode.startsWith("on")) {
			return new DefaultMeterObservationHandler(meters, ignored);
		}
		return null;
	}

	@TearDown(Level.Trial)
	public void tearDown() throws InterruptedException {
		if (this.measuredSent > 0) {
			// one line that compare scripts grep: CPU microseconds per send
			System.out.printf("cpu per send: client %.2f us, server %.2f us (%d sends, mode %s)%n",
					this.measuredClientCpu / 1000.0 / this.measuredSent,
					this.measuredServerCpu / 1000.0 / this.measuredSent, this.measuredSent, this.observations);
		}
		this.broker.close();
		ChildServer process = this.child;
		if (process != null) {
			process.stop();
		}
	}

	@Benchmark
	public byte[] send(Payload payload) {
		byte[] answer = this.broker.send(payload.bytes);
		this.sent.increment();
		return answer;
	}

	@Setup(Level.Iteration)
	public void startIteration() {
		this.iterationSent = this.sent.sum();
		this.iterationClientCpu = clientCpuNanos();
		this.iterationServerCpu = serverCpuNanos();
	}

	/**
	 * Add up the CPU time per send of the measured iterations: this JVM's (the broker, the
	 * observations, and JMH's own threads, the same in every mode) and the server's. Unlike the
	 * throughput, it hardly moves with what else the machine runs.
	 * @param iteration the iteration's parameters
	 */
	@TearDown(Level.Iteration)
	public void endIteration(IterationParams iteration) {
		if (iteration.getType() == IterationType.MEASUREMENT) {
			this.measuredSent += this.sent.sum() - this.iterationSent;
			this.measuredClientCpu += clientCpuNanos() - this.iterationClientCpu;
			this.measuredServerCpu += serverCpuNanos() - this.iterationServerCpu;
		}
	}

	/** The CPU time this JVM used so far (shared with {@link ObservationsCommand}). */
	static long clientCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private long serverCpuNanos() {
		ChildServer server = this.child;
		return (server != null) ? server.cpuNanos() : 0;
	}

	private int startChild() throws IOException {
		ChildServer server = ChildServer.start();
		this.child = server;
		return server.port();
	}

}
