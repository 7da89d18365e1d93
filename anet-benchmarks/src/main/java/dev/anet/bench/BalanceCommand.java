package dev.anet.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;


import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.AnetConnection;
import dev.anet.pool.Balancing;
import dev.anet.pool.ConnectionPool;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.Handler;
import dev.anet.server.ServerConfig;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code balance}: one broker over several echo servers in this JVM, the first of them slower by
 * {@code --slow-ms} per request, measured once per balancing policy; prints one JSON line per
 * policy, with the share of requests each server handled.
 *
 * <pre>
 *   callers ──► Broker ──► PoolGroup(balancing) ──► server 0 (+slow-ms), server 1, server 2 ...
 * </pre>
 *
 * Every connection is dialled before measuring, so each policy starts from the same pool.
 */
@Command(name = "balance", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Measures each balancing policy over several in-JVM echo servers, one of them slow; one JSON line per policy.")
public final class BalanceCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--servers", defaultValue = "3", description = "Echo servers (on 127.0.0.1).")
	int servers = 3;

	@Option(names = "--slow-ms", defaultValue = "20", description = "Extra time per request on the first server; 0: all equal.")
	long slowMillis = 20;

	@Option(names = "--connections", defaultValue = "4", description = "Pool capacity per server.")
	int connections = 4;

	@Option(names = { "--concurrency", "--callers" }, defaultValue = "64", description = "Caller threads.")
	int concurrency = 64;

	@Option(names = "--requests", defaultValue = "100000", description = "Requests measured per policy.")
	long requests = 100_000;

	@Option(names = "--warmup", defaultValue = "50000", description = "Unrecorded requests per policy first.")
	long warmup = 50_000;

	@Option(names = "--size", defaultValue = "64", description = "Payload bytes per request.")
	int size = 64;

	@Option(names = "--max-seconds", defaultValue = "120", description = "Bound on each policy's run, warm-up included.")
	double maxSeconds = 120;

	@Option(names = "--balancing", defaultValue = "both",
			description = "round-robin, least-in-flight or both (one after the other).")
	String balancing = "both";

	@Override
	public Integer call() throws Exception {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		List<AnetServer> running = new ArrayList<>();
		List<CountingHandler> handlers = new ArrayList<>();
		int failed = 0;
		try {
			List<InetSocketAddress> addresses = new ArrayList<>();
			for (int i = 0; i < this.servers; i++) {
				CountingHandler handler = new CountingHandler(
						ServerCommand.handler((i == 0) ? TimeUnit.MILLISECONDS.toNanos(this.slowMillis) : 0));
				AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(), handler);
				server.start();
				running.add(server);
				handlers.add(handler);
				addresses.add(new InetSocketAddress("127.0.0.1", server.port()));
			}
			for (Balancing policy : policies()) {
				handlers.forEach(CountingHandler::reset);
				LoadResult result = run(addresses, policy, err);
				failed += (result.errors() > 0) ? 1 : 0;
				out.println(json(policy, result, handlers));
				out.flush();
			}
		}
		finally {
			running.forEach(AnetServer::stop);
		}
		return (failed > 0) ? 1 : 0;
	}

	private LoadResult run(List<InetSocketAddress> addresses, Balancing policy, PrintWriter err)
			throws InterruptedException {
		long timeout = TimeUnit.SECONDS.toNanos(10);
		long deadline = System.nanoTime() + (long) (this.maxSeconds * 1e9);
		PoolGroup pools = new PoolGroup(addresses, PoolConfig.builder().capacity(this.connections).build(),
				PoolListener.NONE, policy);
		// every connection up front, so that both policies start from full pools
		for (ConnectionPool pool : pools.pools()) {
			List<AnetConnection> dialled = new ArrayList<>();
			for (int i = 0; i < this.connections; i++) {
				dialled.add(pool.get());
			}
			dialled.forEach(pool::put);
		}
		try (Broker broker = new Broker(pools, BrokerConfig.builder().readTimeout(Duration.ofNanos(timeout)).build())) {
			LoadPhase.Settings settings = new LoadPhase.Settings(this.concurrency, this.size, true, false, timeout,
					deadline, err);
			if (this.warmup > 0) {
				new LoadPhase(broker, settings, this.warmup).run();
			}
			return new LoadPhase(broker, settings, this.requests).run();
		}
	}

	private List<Balancing> policies() {
		return switch (this.balancing) {
			case "round-robin" -> List.of(Balancing.ROUND_ROBIN);
			case "least-in-flight" -> List.of(Balancing.LEAST_IN_FLIGHT);
			default -> List.of(Balancing.ROUND_ROBIN, Balancing.LEAST_IN_FLIGHT);
		};
	}

	private String json(Balancing policy, LoadResult result, List<CountingHandler> handlers) {
		long total = handlers.stream().mapToLong(CountingHandler::count).sum();
		StringBuilder shares = new StringBuilder();
		for (int i = 0; i < handlers.size(); i++) {
			shares.append((i > 0) ? "," : "")
				.append(String.format(Locale.ROOT, "%.4f", (total > 0) ? handlers.get(i).count() / (double) total : 0));
		}
		String line = result.json("anet");
		return "{\"balancing\":\"" + policy.name().toLowerCase(Locale.ROOT).replace('_', '-') + "\",\"slow_ms\":"
				+ this.slowMillis + ",\"shares\":[" + shares + "]," + line.substring(1);
	}

	private void validate() {
		if (this.servers < 2 || this.connections < 1 || this.concurrency < 1 || this.requests < 1 || this.warmup < 0
				|| this.slowMillis < 0 || !(this.maxSeconds > 0) || this.size < 0) {
			throw new ParameterException(this.spec.commandLine(),
					"--servers must be at least 2; --connections, --concurrency and --requests at least 1; "
							+ "--warmup and --slow-ms 0 or more; --max-seconds more than 0");
		}
		if (!List.of("round-robin", "least-in-flight", "both").contains(this.balancing)) {
			throw new ParameterException(this.spec.commandLine(),
					"--balancing must be round-robin, least-in-flight or both but was " + this.balancing);
		}
	}

	/** Counts the requests a server handled. */
	private static final class CountingHandler implements Handler {

		private final Handler delegate;

		private final LongAdder count = new LongAdder();

		CountingHandler(Handler delegate) {
			this.delegate = delegate;
		}

		@Override
		public byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception {
			this.count.increment();
			return this.delegate.handle(connection, request);
		}

		long count() {
			return this.count.sum();
		}

		void reset() {
			this.count.reset();
		}

	}

}
