package dev.anet.bench.jmh;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.anet.broker.Broker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code observations}: the modes of {@link ObservationBenchmark} in alternation, in one JVM,
 * against one echo server in a child JVM. Each mode has its own broker (8 connections) and meter
 * registry; the callers send through the mode of the current phase, and the phases take turns
 * (the order rotated by one every round), so that what drifts over a run (the machine's other
 * load, the JIT, the connections' batching) falls on every mode alike. Prints each phase, then for
 * each mode the median rps, the median of its same-round ratios to the first mode, and the median
 * CPU per send of both processes.
 *
 * <pre>
 *   64 callers ──► broker of the current mode ──► child server
 *   round r: mode[r % n], mode[(r + 1) % n], ...   (phase-seconds each)
 * </pre>
 *
 * A single JMH run per mode cannot see a 10 % difference on a shared 2-core machine: two runs of
 * the same mode differ by ±15 %. Alternating short phases in one JVM does. A mode
 * {@code busy-<ns>} is {@code off} with each caller busy-waiting that many nanoseconds after each
 * answer: what a given amount of the callers' own CPU per send costs the round trip, to set the
 * observations' cost beside.
 */
@Command(name = "observations", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Runs the observation modes in alternation in one JVM against one child server; prints their medians.")
public final class ObservationsCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--modes", defaultValue = "off,starter,starter-without-long-task-timer,on", split = ",",
			description = "Modes of ObservationBenchmark, or busy-<ns> (off, and each caller busy-waits that long "
					+ "after each answer); the first is the one the ratios divide by.")
	List<String> modes = new ArrayList<>();

	@Option(names = "--rounds", defaultValue = "10", description = "Measured rounds (one phase per mode each).")
	int rounds = 10;

	@Option(names = "--phase-seconds", defaultValue = "2", description = "Length of one phase.")
	double phaseSeconds = 2;

	@Option(names = "--warmup-rounds", defaultValue = "3", description = "Unmeasured rounds first.")
	int warmupRounds = 3;

	@Option(names = { "--callers", "--concurrency" }, defaultValue = "64", description = "Caller threads.")
	int callers = 64;

	@Option(names = "--connections", defaultValue = "8", description = "Pool capacity of each mode's broker.")
	int connections = 8;

	@Option(names = "--size", defaultValue = "64", description = "Payload bytes per request.")
	int size = 64;

	private volatile int current;

	private volatile boolean stopped;

	@Override
	public Integer call() throws Exception {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		ChildServer server = ChildServer.start();
		List<Mode> running = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		try {
			for (String name : this.modes) {
				long busy = busyNanos(name);
				Mode mode = new Mode(name, ObservationBenchmark.broker((busy >= 0) ? "off" : name, server.port(),
						this.connections, new SimpleMeterRegistry()), Math.max(0, busy));
				running.add(mode);
				mode.broker.send(new byte[this.size]);
			}
			for (int i = 0; i < this.callers; i++) {
				byte[] payload = new byte[this.size];
				new Random(i).nextBytes(payload);
				Thread thread = new Thread(() -> call(running, payload), "observations-caller-" + i);
				thread.setDaemon(true);
				thread.start();
				threads.add(thread);
			}
			long[][] rps = new long[running.size()][this.rounds];
			double[][] cpu = new double[running.size()][this.rounds];
			for (int round = -this.warmupRounds; round < this.rounds; round++) {
				for (int turn = 0; turn < running.size(); turn++) {
					int index = Math.floorMod(round + turn, running.size());
					Phase phase = phase(running.get(index), index, server);
					if (round >= 0) {
						rps[index][round] = phase.rps();
						cpu[index][round] = phase.cpuMicrosPerSend();
						out.printf(Locale.ROOT, "round %d %-32s %,9d rps  %6.2f us CPU per send%n", round + 1,
								running.get(index).name, phase.rps(), phase.cpuMicrosPerSend());
						out.flush();
					}
				}
			}
			return (report(out, running, rps, cpu) > 0) ? 1 : 0;
		}
		finally {
			this.stopped = true;
			for (Thread thread : threads) {
				thread.join(TimeUnit.SECONDS.toMillis(15));
			}
			running.forEach((mode) -> mode.broker.close());
			server.stop();
		}
	}

	private void validate() {
		if (this.modes.isEmpty() || this.rounds < 1 || this.phaseSeconds <= 0 || this.warmupRounds < 0
				|| this.callers < 1 || this.connections < 1 || this.size < 0 || this.size > 65531) {
			throw new ParameterException(this.spec.commandLine(),
					"need a mode, --rounds >= 1, --phase-seconds > 0, --warmup-rounds >= 0, --callers >= 1, "
							+ "--connections >= 1 and 0 <= --size <= 65531");
		}
		for (String mode : this.modes) {
			if (!ObservationBenchmark.MODES.contains(mode) && busyNanos(mode) < 0) {
				throw new ParameterException(this.spec.commandLine(),
						"unknown mode '" + mode + "': one of " + ObservationBenchmark.MODES + " or busy-<nanoseconds>");
			}
		}
	}

	/** One caller: sends through the current mode's broker until stopped (each send bounded by the broker's timeout). */
	private void call(List<Mode> running, byte[] payload) {
		while (!this.stopped) {
			Mode mode = running.get(this.current);
			try {
				mode.broker.send(payload);
				mode.sent.increment();
			}
			catch (RuntimeException ex) {
				if (mode.errors.sum() == 0) {
					this.spec.commandLine().getErr().println(mode.name + ": " + ex);
				}
				mode.errors.increment();
			}
			if (mode.busyNanos > 0) {
				long end = System.nanoTime() + mode.busyNanos;
				while (System.nanoTime() < end) {
					Thread.onSpinWait();
				}
			}
		}
	}

	private Phase phase(Mode mode, int index, ChildServer server) throws InterruptedException {
		this.current = index;
		// the sends of the phase before, still under way, finish on their own broker
		long sent = mode.sent.sum();
		long client = ObservationBenchmark.clientCpuNanos();
		long serverCpu = server.cpuNanos();
		long start = System.nanoTime();
		TimeUnit.NANOSECONDS.sleep((long) (this.phaseSeconds * 1e9));
		long elapsed = System.nanoTime() - start;
		long sends = mode.sent.sum() - sent;
		long cpu = (ObservationBenchmark.clientCpuNanos() - client) + (server.cpuNanos() - serverCpu);
		return new Phase(sends * 1_000_000_000L / Math.max(1, elapsed), (sends > 0) ? cpu / 1000.0 / sends : 0);
	}

	/** Print the medians of every mode; return the sends that failed. */
	private long report(PrintWriter out, List<Mode> running, long[][] rps, double[][] cpu) {
		out.printf(Locale.ROOT, "%-32s %12s %16s %16s%n", "mode", "median rps", "× " + running.get(0).name
				+ " (same round)", "CPU us per send");
		for (int i = 0; i < running.size(); i++) {
			double[] ratios = new double[this.rounds];
			for (int round = 0; round < this.rounds; round++) {
				ratios[round] = (rps[0][round] > 0) ? (double) rps[i][round] / rps[0][round] : 0;
			}
			out.printf(Locale.ROOT, "%-32s %,12d %16.3f %16.2f%n", running.get(i).name,
					(long) median(Arrays.stream(rps[i]).asDoubleStream().toArray()), median(ratios), median(cpu[i]));
		}
		long errors = running.stream().mapToLong((mode) -> mode.errors.sum()).sum();
		out.printf(Locale.ROOT, "errors: %d%n", errors);
		out.flush();
		return errors;
	}

	/** The nanoseconds of a {@code busy-<ns>} mode, or -1 for any other name. */
	private static long busyNanos(String mode) {
		if (!mode.startsWith("busy-")) {
			return -1;
		}
		try {
			return Math.max(-1, Long.parseLong(mode.substring("busy-".length())));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** A mode's broker and its counts. */
	private static final class Mode {

		private final String name;

		private final Broker broker;

		private final LongAdder sent = new LongAdder();

		private final LongAdder errors = new LongAdder();

		/** The caller's own work after each answer (a busy wait), 0 for none. */
		private final long busyNanos;

		Mode(String name, Broker broker, long busyNanos) {
			this.name = name;
			this.broker = broker;
			this.busyNanos = busyNanos;
		}

	}

	/** One phase's figures. */
	private record Phase(long rps, double cpuMicrosPerSend) {
	}

}
