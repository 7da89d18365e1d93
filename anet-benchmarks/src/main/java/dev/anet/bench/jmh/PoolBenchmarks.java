package dev.anet.bench.jmh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.anet.pool.AnetConnection;
import dev.anet.pool.ConnectionPool;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connection pool get/put over real loopback connections that are dialled once: the uncontended
 * cost ({@code 1 thread}) and the cost with 4 threads sharing 8 connections. {@code groupAcquire}
 * is the broker's hot path ({@link PoolGroup#acquire(boolean)} for an idle connection).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolBenchmarks {

	private static final int CAPACITY = 8;

	private final List<SocketChannel> accepted = new ArrayList<>();

	private ServerSocketChannel server = null;

	private PoolGroup group = null;

	private ConnectionPool pool = null;

	private PoolGroup timedGroup = null;

	private final LongAdder acquireNanos = new LongAdder();

	@Setup
	public void setUp() throws IOException {
		this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					SocketChannel channel = this.server.accept();
					synchronized (this.accepted) {
						this.accepted.add(channel);
					}
				}
			}
			catch (IOException ex) {
				// closed by tearDown
			}
		}, "bench-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
		PoolConfig config = PoolConfig.builder().capacity(CAPACITY).validationInterval(Duration.ZERO).build();
		this.group = new PoolGroup(List.of((InetSocketAddress) this.server.getLocalAddress()), config, PoolListener.NONE);
		this.pool = this.group.pools().get(0);
		List<AnetConnection> dialled = new ArrayList<>();
		for (int i = 0; i < CAPACITY; i++) {
			dialled.add(this.pool.get());
		}
		dialled.forEach(this.pool::put);
		this.timedGroup = new PoolGroup(List.of((InetSocketAddress) this.server.getLocalAddress()), config,
				new PoolListener() {

					@Override
					public void connectionAcquired(InetSocketAddress address, long nanos) {
						PoolBenchmarks.this.acquireNanos.add(nanos);
					}

				});
		this.timedGroup.put(this.timedGroup.get());
	}

	@TearDown
	public void tearDown() throws IOException {
		this.group.close();
		this.timedGroup.close();
		this.server.close();
		synchronized (this.accepted) {
			for (SocketChannel channel : this.accepted) {
				channel.close();
			}
		}
	}

	@Benchmark
	public AnetConnection getPut() {
		AnetConnection connection = this.pool.get();
		this.pool.put(connection);
		return connection;
	}

	@Benchmark
	@Threads(4)
	public AnetConnection getPutContended() {
		AnetConnection connection = this.pool.get();
		this.pool.put(connection);
		return connection;
	}

	@Benchmark
	public AnetConnection groupAcquire() {
		AnetConnection connection = this.group.acquire(true);
		this.group.put(connection);
		return connection;
	}

	/** {@link #groupAcquire} with a listener that records every acquire, as the meters do. */
	@Benchmark
	public AnetConnection groupAcquireTimed() {
		AnetConnection connection = this.timedGroup.acquire(true);
		this.timedGroup.put(connection);
		return connection;
	}

}
