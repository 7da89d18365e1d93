package dev.anet.bench;

import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
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
 * {@code clients}: what each client costs in one JVM, as {@code anet.clients.<name>} make them (a
 * pool group and a broker each). Measures the heap after full collections, the direct buffers and the client threads
 * (by role), then opens {@code --clients} clients with every connection dialled, sends
 * {@code --requests} verified requests through each, and measures again; prints one JSON line.
 *
 * <p>With {@code --port 0} the echo server runs in this JVM, and its own buffers of the new
 * connections count in the heap figure; for the client alone, run the {@code server} command in
 * another JVM and pass its {@code --port}.
 */
@Command(name = "clients", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Measures heap and threads per client (pool group + broker) with many clients in one JVM; one JSON line.")
public final class ClientsCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--port", defaultValue = "0", description = "Echo server port on 127.0.0.1; 0 starts one in this JVM.")
	int port;

	@Option(names = "--clients", defaultValue = "16", description = "Clients to open.")
	int clients = 16;

	@Option(names = "--connections", defaultValue = "4", description = "Pool capacity of each client, all dialled.")
	int connections = 4;

	@Option(names = "--workers", defaultValue = "4", description = "Broker workers of each client.")
	int workers = 4;

	@Option(names = "--requests", defaultValue = "2000", description = "Verified requests sent through each client.")
	long requests = 2000;

	@Option(names = { "--concurrency", "--callers" }, defaultValue = "4", description = "Caller threads per client's run.")
	int concurrency = 4;

	@Option(names = "--size", defaultValue = "64", description = "Payload bytes per request.")
	int size = 64;

	@Override
	public Integer call() throws InterruptedException {
		validate();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		String gcProblem = HeapProbe.explicitGcProblem();
		if (gcProblem != null) {
			err.println("clients: " + gcProblem);
			return 2;
		}
		AnetServer server = null;
		List<Broker> brokers = new ArrayList<>();
		try {
			int serverPort = this.port;
			if (serverPort == 0) {
				server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
						ServerCommand.handler(0));
				server.start();
				serverPort = server.port();
			}
			InetSocketAddress address = new InetSocketAddress("127.0.0.1", serverPort);
			HeapProbe probe = new HeapProbe();
			// one client first, so that class loading and the shared threads are not counted per client
			brokers.add(open(address));
			long errors = run(brokers.get(0), err);
			long heapBefore = probe.usedAfterGc();
			long directBefore = direct();
			Map<String, Integer> before = clientThreads(serverPort);
			for (int i = 0; i < this.clients; i++) {
				Broker broker = open(address);
				brokers.add(broker);
				errors += run(broker, err);
			}
			long heapAfter = probe.usedAfterGc();
			long directAfter = direct();
			Map<String, Integer> after = clientThreads(serverPort);
			int threadsBefore = before.values().stream().mapToInt(Integer::intValue).sum();
			int threadsAfter = after.values().stream().mapToInt(Integer::intValue).sum();
			out.println(String.format(Locale.ROOT,
					"{\"clients\":%d,\"connections_per_client\":%d,\"workers_per_client\":%d,\"requests_per_client\":%d,"
							+ "\"errors\":%d,\"threads_per_client\":%.2f,\"client_threads\":\"%s\",\"shared_threads\":%d,"
							+ "\"heap_kib_per_client\":%.1f,\"direct_kib_per_client\":%.1f,\"server_in_jvm\":%b,\"jdk\":\"%s\"}",
					this.clients, this.connections, this.workers, this.requests, errors,
					(threadsAfter - threadsBefore) / (double) this.clients, HeapProbe.threadChanges(before, after),
					after.getOrDefault("anet-pool-housekeeper", 0) + after.getOrDefault("anet-broker-timer", 0),
					(heapAfter - heapBefore) / 1024.0 / this.clients, (directAfter - directBefore) / 1024.0 / this.clients,
					server != null, Runtime.version()));
			out.flush();
			return (errors == 0) ? 0 : 1;
		}
		finally {
			brokers.forEach(Broker::close);
			if (server != null) {
				server.stop();
			}
		}
	}

	/** The direct buffers' memory in use (not on the heap). */
	private static long direct() {
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			if (pool.getName().equals("direct")) {
				return pool.getMemoryUsed();
			}
		}
		return 0;
	}

	private Broker open(InetSocketAddress address) {
		return Targets.preDialledBroker(address,
				PoolConfig.builder().capacity(this.connections).validationInterval(Duration.ofSeconds(30)).build(),
				BrokerConfig.builder().workers(this.workers).readTimeout(Duration.ofSeconds(10)).build());
	}

	private long run(Broker broker, PrintWriter err) throws InterruptedException {
		long timeout = TimeUnit.SECONDS.toNanos(10);
		LoadPhase.Settings settings = new LoadPhase.Settings(this.concurrency, this.size, true, false, timeout,
				System.nanoTime() + TimeUnit.SECONDS.toNanos(60), err);
		LoadResult result = new LoadPhase(broker, settings, this.requests).run();
		return result.errors() + (this.requests - result.requests());
	}

	/**
	 * The live threads of the clients by role: broker workers, connection readers of the clients
	 * (named after the server's address, where the server's own readers are named after the
	 * client's), and the JVM's shared housekeeper and timer.
	 */
	private static Map<String, Integer> clientThreads(int serverPort) {
		String reader = "anet-conn-127.0.0.1:" + serverPort + "-reader";
		Map<String, Integer> roles = new TreeMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			String role = role(thread.getName(), reader);
			if (role != null) {
				roles.merge(role, 1, Integer::sum);
			}
		}
		return roles;
	}

	private static @Nullable String role(String name, String reader) {
		if (name.startsWith("anet-broker-worker-")) {
			return "anet-broker-worker-N";
		}
		if (name.equals(reader)) {
			return "anet-conn-<server>-reader";
		}
		if (name.equals("anet-pool-housekeeper") || name.equals("anet-broker-timer")) {
			return name;
		}
		return null;
	}

	private void validate() {
		if (this.port < 0 || this.port > 65535) {
			throw bad("--port must be in 0..65535 but was " + this.port);
		}
		if (this.clients < 1 || this.connections < 1 || this.workers < 1 || this.concurrency < 1) {
			throw bad("--clients, --connections, --workers and --concurrency must be at least 1");
		}
		if (this.requests < 1 || this.size < EchoCallers.MIN_SIZE) {
			throw bad("--requests must be at least 1 and --size at least " + EchoCallers.MIN_SIZE);
		}
	}

	private ParameterException bad(String message) {
		return new ParameterException(this.spec.commandLine(), message);
	}

}
