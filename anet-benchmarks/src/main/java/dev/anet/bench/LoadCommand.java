package dev.anet.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.anet.AnetException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.frame.Frames;
import dev.anet.pool.PoolConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code load}: the anet-core broker as a load driver, with the reference peers' flags, semantics
 * and output (see {@link LoadPhase}). Prints exactly one JSON line on stdout; diagnostics go to
 * stderr. Exit status 0 without errors, 1 with errors (or when it cannot connect), 2 for bad flags.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Runs the anet-core broker against a server on loopback and prints one JSON line.")
public final class LoadCommand implements Callable<Integer> {

	/** What the JSON line calls this driver. */
	static final String PEER = "anet";

	/** Extra time a request in flight at --max-seconds gets before it counts as an error (as the peers). */
	static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

	/** How the callers send. */
	enum Api {

		/** {@code Broker.send}: the caller blocks. */
		send,

		/** {@code Broker.sendAsync}, {@code --outstanding} requests outstanding per caller. */
		async

	}

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Mixin
	TlsOptions tls = new TlsOptions();

	@Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host; loopback only.")
	String host = "127.0.0.1";

	@Option(names = "--port", required = true, description = "Server port.")
	int port;

	@Option(names = "--connections", defaultValue = "8", description = "Pool capacity (connections to the one address).")
	int connections = 8;

	@Option(names = "--concurrency", defaultValue = "64", description = "Caller threads.")
	int concurrency = 64;

	@Option(names = "--requests", defaultValue = "200000", description = "Requests to measure.")
	long requests = 200_000;

	@Option(names = "--size", defaultValue = "64", description = "Payload bytes per request (0..65531).")
	int size = 64;

	@Option(names = "--verify", description = "Check every answer's length and bytes.")
	boolean verify;

	@Option(names = "--max-seconds", defaultValue = "60",
			description = "Bound on the whole run, warm-up included; no request starts after it.")
	double maxSeconds = 60;

	@Option(names = "--warmup", defaultValue = "0", description = "Unrecorded requests run first.")
	long warmup;

	@Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "10s",
			description = "Per-request timeout: milliseconds (250), with a unit (250ms, 2s) or ISO-8601 (PT2S); "
					+ "never past --max-seconds plus 2 s. Default: ${DEFAULT-VALUE}.")
	Duration timeout = DEFAULT_TIMEOUT;

	/** The default per-request timeout (Spring Integration's default remote timeout, too). */
	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	@Option(names = "--api", defaultValue = "send",
			description = "send (blocking) or async (sendAsync, --outstanding per caller).")
	Api api = Api.send;

	@Option(names = "--outstanding", defaultValue = "1",
			description = "With --api async: requests each caller keeps outstanding (a fan-out). Default: ${DEFAULT-VALUE}.")
	int outstanding = 1;

	@Option(names = "--virtual-callers", description = "The callers are virtual threads (JDK 21+), as the peers' drivers'.")
	boolean virtualCallers;

	@Option(names = "--virtual-threads",
			description = "The broker's reader and worker threads are virtual threads (JDK 21+), as spring.threads.virtual.enabled=true gives.")
	boolean virtualThreads;

	@Override
	public Integer call() throws InterruptedException {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		long start = System.nanoTime();
		long deadline = start + (long) (this.maxSeconds * 1e9);
		long limit = this.timeout.toNanos();
		Broker broker;
		try {
			broker = open(Duration.ofNanos(limit));
		}
		catch (AnetException ex) {
			err.println(PEER + ": cannot connect to " + this.host + ":" + this.port + ": " + ex);
			err.flush();
			return print(out, LoadResult.cannotConnect());
		}
		LoadResult result;
		try {
			LoadPhase.Settings settings = new LoadPhase.Settings(this.concurrency, this.size, this.verify,
					this.api == Api.async, limit, deadline, err, this.outstanding,
					this.virtualCallers ? VirtualThreads.factory() : null);
			if (this.warmup > 0) {
				new LoadPhase(broker, settings, this.warmup).run();
			}
			LoadPhase measured = new LoadPhase(broker, settings, this.requests);
			result = measured.run();
			long allocated = measured.allocatedBytes();
			if (allocated >= 0 && result.requests() > 0) {
				err.printf("%s: client allocation %d B/request (caller and broker threads, measured phase)%n", PEER,
						allocated / result.requests());
			}
		}
		finally {
			broker.close();
		}
		err.flush();
		return print(out, result);
	}

	private static int print(PrintWriter out, LoadResult result) {
		out.println(result.json(PEER));
		out.flush();
		return (result.errors() > 0) ? 1 : 0;
	}

	private void validate() {
		String problem = Targets.loopbackProblem(this.host, this.port);
		if (problem != null) {
			throw bad(problem);
		}
		if (this.connections < 1 || this.concurrency < 1) {
			throw bad("--connections and --concurrency must be at least 1");
		}
		if (this.requests < 0 || this.warmup < 0) {
			throw bad("--requests and --warmup must be 0 or more");
		}
		if (this.size < 0 || this.size > Frames.MAX_BODY_SIZE) {
			throw bad("--size must be in 0.." + Frames.MAX_BODY_SIZE + " but was " + this.size);
		}
		if (!(this.maxSeconds > 0)) {
			throw bad("--max-seconds must be more than 0 but was " + this.maxSeconds);
		}
		if (this.timeout.isNegative() || this.timeout.isZero()) {
			throw bad("--timeout must be more than 0 but was " + this.timeout);
		}
		if (this.outstanding < 1 || (this.outstanding > 1 && this.api != Api.async)) {
			throw bad("--outstanding must be at least 1, and more than 1 only with --api async, but was "
					+ this.outstanding);
		}
		if (this.virtualCallers && !VirtualThreads.available()) {
			throw bad("--virtual-callers needs Java 21 or later");
		}
		if (this.virtualThreads && !VirtualThreads.available()) {
			throw bad("--virtual-threads needs Java 21 or later");
		}
	}

	private ParameterException bad(String message) {
		return new ParameterException(this.spec.commandLine(), message);
	}

	/**
	 * Open the broker and dial every connection up front (as the peers connect before they
	 * measure), so that a server that is not there fails here.
	 */
	private Broker open(Duration readTimeout) {
		return Targets.preDialledBroker(new InetSocketAddress(this.host, this.port),
				PoolConfig.builder().capacity(this.connections).tls(this.tls.client()).build(),
				BrokerConfig.builder()
					.readTimeout(readTimeout)
					.threadFactory(this.virtualThreads ? VirtualThreads.factory() : null)
					.build());
	}

}
