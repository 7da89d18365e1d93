package dev.anet.bench.jmh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.anet.bench.TlsOptions;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
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

/**
 * A broker round trip over loopback to the anet server, from 64 caller threads over 8
 * connections (as the load driver's defaults). By default the server runs in a child JVM (the
 * same jar's {@code server} command), so {@code -prof gc}'s {@code gc.alloc.rate.norm} is the
 * client's allocation per request alone; {@code -p server=inprocess} runs it in the benchmark's
 * JVM (then the figure is client plus server). {@code -p tls=on} runs it over TLS 1.3 (the server
 * is {@code server --tls}), with the certificates of {@code -p tlsDir=DIR} (the peers'
 * {@code make-certs.sh DIR}; by default the folder {@code compare.sh --tls} makes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(64)
public class BrokerRoundTripBenchmark {

	@Param({ "process" })
	String server = "process";

	@Param({ "64" })
	int size;

	@Param({ "off" })
	String tls = "off";

	@Param({ "target/peers/target/certs" })
	String tlsDir = "target/peers/target/certs";

	private @Nullable ChildServer child;

	private @Nullable AnetServer inProcess;

	private Broker broker = null;

	/** One payload per caller thread, as in the load driver. */
	@State(Scope.Thread)
	public static class Payload {

		private static final java.util.concurrent.atomic.AtomicInteger callers = new java.util.concurrent.atomic.AtomicInteger();

		byte[] bytes = new byte[0];

		@Setup
		public void setUp(BrokerRoundTripBenchmark benchmark) {
			this.bytes = new byte[benchmark.size];
			new Random(callers.getAndIncrement()).nextBytes(this.bytes);
		}

	}

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		boolean secure = switch (this.tls) {
			case "on" -> true;
			case "off" -> false;
			default -> throw new IllegalArgumentException("tls must be on or off but was " + this.tls);
		};
		TlsOptions options = secure ? TlsOptions.of(Path.of(this.tlsDir)) : null;
		int port = "inprocess".equals(this.server) ? startInProcess(options) : startChild(options);
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port),
				PoolConfig.builder().capacity(8).tls((options != null) ? options.client() : null).build());
		this.broker = new Broker(pools, BrokerConfig.defaults());
	}

	@TearDown(Level.Trial)
	public void tearDown() throws InterruptedException {
		this.broker.close();
		if (this.inProcess != null) {
			this.inProcess.stop();
		}
		ChildServer process = this.child;
		if (process != null) {
			process.stop();
		}
	}

	@Benchmark
	public byte[] send(Payload payload) {
		return this.broker.send(payload.bytes);
	}

	@Benchmark
	public byte[] sendAsync(Payload payload) throws InterruptedException, ExecutionException {
		return this.broker.sendAsync(payload.bytes).get();
	}

	private int startInProcess(@Nullable TlsOptions options) {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0)
			.tls((options != null) ? options.server() : null).build(), (connection, request) -> request);
		server.start();
		this.inProcess = server;
		return server.port();
	}

	private int startChild(@Nullable TlsOptions options) throws IOException {
		ChildServer server = (options == null) ? ChildServer.start()
				: ChildServer.start("--tls", "--tls-dir", Path.of(this.tlsDir).toAbsolutePath().toString());
		this.child = server;
		return server.port();
	}

}
