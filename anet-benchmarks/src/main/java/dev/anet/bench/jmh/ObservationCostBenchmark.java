package dev.anet.bench.jmh;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.observation.AnetBrokerRequestContext;
import dev.anet.boot.observation.AnetObservationDocumentation;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.DefaultAnetBrokerObservationConvention;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
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
 * What one broker observation costs by itself, on one thread and without the network: the
 * lifecycle {@code ObservationBrokerInterceptor} runs for a send (context, start, the send's task
 * id, address and outcome, stop) over an {@link ObservationRegistry} as in
 * {@link ObservationBenchmark}. {@code off} is what {@code AnetMetrics} does instead: a clock
 * reading on each side and a record on a timer looked up once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class ObservationCostBenchmark {

	@Param({ "off", "on", "starter", "on-without-long-task-timer", "starter-without-long-task-timer", "no-handler" })
	String observations = "on";

	private final byte[] request = new byte[64];

	private final InetSocketAddress address = new InetSocketAddress("127.0.0.1", 7000);

	private ObservationRegistry registry = ObservationRegistry.NOOP;

	private Timer timer;

	private int taskId;

	@Setup
	public void setUp() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.timer = Timer.builder("anet.broker.requests")
			.tag("client", "default")
			.tag("outcome", "success")
			.tag("exception", "none")
			.register(meters);
		this.registry = ObservationRegistry.create();
		ObservationHandler<?> handler = ObservationBenchmark.meterHandler(this.observations, meters);
		if (handler != null) {
			this.registry.observationConfig().observationHandler(handler);
		}
	}

	/** Observations made, and this thread's CPU time, at the start of the iteration and in the measured ones. */
	private long count;

	private long iterationCount;

	private long iterationCpu;

	private long measuredCount;

	private long measuredCpu;

	@Setup(Level.Iteration)
	public void startIteration() {
		this.iterationCount = this.count;
		this.iterationCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
	}

	/**
	 * Add up the CPU time of the measured iterations: on a busy machine the time per call JMH
	 * reports includes the time the thread waited for a processor; its CPU time does not.
	 * @param iteration the iteration's parameters
	 */
	@TearDown(Level.Iteration)
	public void endIteration(IterationParams iteration) {
		if (iteration.getType() == IterationType.MEASUREMENT) {
			this.measuredCount += this.count - this.iterationCount;
			this.measuredCpu += ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - this.iterationCpu;
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.measuredCount > 0) {
			System.out.printf("cpu per observation: %.1f ns (%d observations, mode %s)%n",
					(double) this.measuredCpu / this.measuredCount, this.measuredCount, this.observations);
		}
	}

	@Benchmark
	public Object observe() {
		this.count++;
		if ("off".equals(this.observations)) {
			long start = System.nanoTime();
			this.timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			return this.timer;
		}
		AnetBrokerRequestContext context = new AnetBrokerRequestContext(this.request, AnetTracePropagation.NONE);
		Observation observation = AnetObservationDocumentation.BROKER_REQUEST
			.observation(null, DefaultAnetBrokerObservationConvention.INSTANCE, () -> context, this.registry)
			.start();
		context.setTaskId(++this.taskId);
		context.setAddress(this.address);
		context.setOutcome("success");
		observation.stop();
		return observation;
	}

}
