package dev.anet.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.frame.Frames;
import dev.anet.pool.PoolConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idle}: the client side of the scale run. Against an anet echo server on loopback:
 *
 * <pre>
 *   open --connections plain sockets (from --open-threads threads), left idle    "idle: opened N"
 *   ──► --load-requests verified requests through a Broker meanwhile
 *   ──► hold everything for --hold-seconds                                       "idle: holding N connections for S s"
 *   ──► one echo on every idle connection: each must still be open and served
 *   ──► one JSON line on stdout
 * </pre>
 *
 * In the JSON line {@code lost} is {@code opened - verified}: the connections whose echo failed
 * ({@code echo_failed}) plus those not checked before the checks' deadline ({@code unchecked}).
 *
 * The two quoted lines go to stderr so that a script ({@code scale.sh}) can look at the server
 * while the connections are held. {@code --max-seconds} bounds opening, load and hold; the final
 * checks get up to 30 s more. Exit status 0 when every connection opened and answered its echo at
 * the end and every load request got its own echo; 1 otherwise; 2 for bad flags.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Holds many idle connections to an anet echo server while a broker sends load; prints one JSON line.")
public final class IdleCommand implements Callable<Integer> {

	/** How long the final echo checks may run after --max-seconds. */
	static final long CHECK_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host; loopback only.")
	String host = "127.0.0.1";

	@Option(names = "--port", required = true, description = "Server port.")
	int port;

	@Option(names = "--connections", defaultValue = "10000", description = "Idle connections to open and hold.")
	int connections = 10_000;

	@Option(names = "--open-threads", defaultValue = "4",
			description = "Threads that open (and at the end check) the idle connections.")
	int openThreads = 4;

	@Option(names = "--load-requests", defaultValue = "200000",
			description = "Verified requests sent through a broker while the connections are held (0: none).")
	long loadRequests = 200_000;

	@Option(names = { "--load-concurrency", "--concurrency" }, defaultValue = "64", description = "Caller threads of the load.")
	int loadConcurrency = 64;

	@Option(names = "--load-connections", defaultValue = "8", description = "The load's pool capacity.")
	int loadConnections = 8;

	@Option(names = "--size", defaultValue = "64",
			description = "Payload bytes per load request (" + EchoCallers.MIN_SIZE + "..65531).")
	int size = 64;

	@Option(names = "--hold-seconds", defaultValue = "0",
			description = "Seconds to hold every connection after the load, before the final checks.")
	double holdSeconds;

	@Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10s",
			description = "Dial timeout, per-request timeout and the final echo's timeout (250ms, 2s, PT2S). Default: ${DEFAULT-VALUE}.")
	Duration timeout = Duration.ofSeconds(10);

	@Option(names = "--max-seconds", defaultValue = "300",
			description = "Bound on opening, load and hold (the final checks get 30 s more).")
	double maxSeconds = 300;

	@Override
	public Integer call() throws InterruptedException {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		long start = System.nanoTime();
		long deadline = start + (long) (this.maxSeconds * 1e9);
		InetSocketAddress address = new InetSocketAddress(this.host, this.port);
		int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, this.timeout.toMillis()));
		try (IdleConnections idle = new IdleConnections(address, this.connections, this.openThreads, err)) {
			int opened = idle.open(timeoutMillis, deadline);
			double openSeconds = (System.nanoTime() - start) / 1e9;
			say(err, String.format(Locale.ROOT, "idle: opened %d (of %d) in %.1f s", opened, this.connections, openSeconds));
			EchoCallers.Outcome load = new EchoCallers.Outcome(0, 0, 0);
			Broker broker = null;
			try {
				if (this.loadRequests > 0) {
					try {
						broker = open(address);
					}
					catch (AnetException ex) {
						err.println("idle: the load cannot connect to " + address + ": " + ex);
						load = new EchoCallers.Outcome(0, 1, 0);
					}
					if (broker != null) {
						load = new EchoCallers(broker, this.loadConcurrency, this.size, this.timeout.toNanos(), err)
							.run(this.loadRequests, deadline);
						say(err, String.format(Locale.ROOT, "idle: load %d requests, %d errors, %.0f rps in %.1f s",
								load.requests(), load.errors(), load.rps(), load.seconds()));
					}
				}
				long holdStart = System.nanoTime();
				long holdEnd = Math.min(deadline, holdStart + (long) (this.holdSeconds * 1e9));
				say(err, String.format(Locale.ROOT, "idle: holding %d connections for %.0f s", opened,
						Math.max(0, holdEnd - holdStart) / 1e9));
				for (long left = holdEnd - System.nanoTime(); left > 0; left = holdEnd - System.nanoTime()) {
					LockSupport.parkNanos(left);
				}
				double held = (System.nanoTime() - holdStart) / 1e9;
				IdleConnections.Check check = idle.verify(timeoutMillis,
						Math.max(System.nanoTime(), deadline) + CHECK_GRACE_NANOS);
				int verified = check.verified();
				int unchecked = opened - verified - check.failed();
				say(err, String.format(Locale.ROOT,
						"idle: %d of %d idle connections answered their echo at the end (%d failed, %d not checked in time)",
						verified, opened, check.failed(), unchecked));
				String json = String.format(Locale.ROOT,
						"{\"connections\":%d,\"opened\":%d,\"open_seconds\":%.3f,\"verified\":%d,\"lost\":%d,"
								+ "\"echo_failed\":%d,\"unchecked\":%d,"
								+ "\"load_requests\":%d,\"load_errors\":%d,\"load_seconds\":%.3f,\"load_rps\":%.1f,"
								+ "\"held_seconds\":%.3f,\"jdk\":\"%s\"}",
						this.connections, opened, openSeconds, verified, opened - verified, check.failed(), unchecked,
						load.requests(), load.errors(), load.seconds(), load.rps(), held, Runtime.version());
				out.println(json);
				out.flush();
				boolean passed = opened == this.connections && verified == opened && load.errors() == 0
						&& load.requests() == this.loadRequests;
				return passed ? 0 : 1;
			}
			finally {
				if (broker != null) {
					broker.close();
				}
			}
		}
	}

	private static void say(PrintWriter err, String line) {
		synchronized (err) {
			err.println(line);
			err.flush();
		}
	}

	private Broker open(InetSocketAddress address) {
		return Targets.preDialledBroker(address,
				PoolConfig.builder().capacity(this.loadConnections).dialTimeout(this.timeout).build(),
				BrokerConfig.builder().readTimeout(this.timeout).build());
	}

	private void validate() {
		String problem = Targets.loopbackProblem(this.host, this.port);
		if (problem != null) {
			throw bad(problem);
		}
		if (this.connections < 0 || this.openThreads < 1) {
			throw bad("--connections must be 0 or more and --open-threads at least 1");
		}
		if (this.loadRequests < 0 || this.loadConcurrency < 1 || this.loadConnections < 1) {
			throw bad("--load-requests must be 0 or more, --load-concurrency and --load-connections at least 1");
		}
		if (this.size < EchoCallers.MIN_SIZE || this.size > Frames.MAX_BODY_SIZE) {
			throw bad("--size must be in " + EchoCallers.MIN_SIZE + ".." + Frames.MAX_BODY_SIZE + " but was " + this.size);
		}
		if (!(this.maxSeconds > 0) || !(this.holdSeconds >= 0)) {
			throw bad("--max-seconds must be more than 0 and --hold-seconds 0 or more");
		}
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw bad("--timeout must be more than 0 but was " + this.timeout);
		}
	}

	private ParameterException bad(String message) {
		return new ParameterException(this.spec.commandLine(), message);
	}

}
