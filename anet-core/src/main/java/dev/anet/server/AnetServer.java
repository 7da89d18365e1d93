package dev.anet.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.anet.internal.Checks;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An anet server: accepts connections, reads their frames, runs the {@link Handler} (or
 * {@link AsyncHandler}) for each request and writes {@code [length][task id][answer]} back. How it
 * does that, and which class decides what, is in the {@linkplain dev.anet.server package
 * documentation}.
 *
 * <ul>
 * <li>Requests of one connection run concurrently, at most {@code maxConcurrentHandlers} over the
 * whole server; answers go out in the order they finish, so clients match them by task id.</li>
 * <li>A handler that finishes writes its answer itself, together with every answer queued while it
 * writes, in one gathering write; the writes of one connection never interleave.</li>
 * <li>A connection with {@code writeQueueDepth} requests running, waiting for an async answer or
 * waiting to be written is not read until one is written (backpressure), see
 * {@link ServerConfig#writeQueueDepth()}.</li>
 * <li>A handler that throws, returns {@code null} or an answer over 65531 bytes fails only its
 * own request: nothing is sent, the outcome goes to the {@link ServerListener}.</li>
 * <li>An {@link AsyncHandler}'s answer is written when its stage completes, on the thread that
 * completes it; no thread and no handler permit is held meanwhile. At most
 * {@code maxPendingAsync} such requests are pending; one more is rejected and counted.</li>
 * <li>A frame with a length under 4 closes its connection (and only it).</li>
 * <li>One watchdog thread enforces {@code readTimeout}, {@code writeTimeout} and
 * {@code idleTimeout}.</li>
 * <li>Handlers run on the configured {@code handlerExecutor}; without one, on a new virtual thread
 * each when the {@code threadFactory} makes virtual threads, else on the server's own pool: a few
 * hot threads ({@code anet-handler-N}, twice the processors) that grow when handlers block.</li>
 * <li>Without a {@code handlerExecutor} (pool or virtual threads), a connection whose handlers have
 * been quick (about 16 under 50 µs, a slower one counting as -8) runs them on its reader thread and
 * answers a whole read with one write: no thread hand-off. A handler that waits there longer than
 * 1 ms (or runs longer than 10 ms: blocking socket I/O on a platform thread and a preempted reader
 * both look running to Java) loses the reader role to a new reader thread (see
 * {@link InlineMonitor}), so the requests behind it wait that long at most, and the connection
 * goes back to its handler threads until its handlers are quick again.</li>
 * </ul>
 *
 * <p>
 * {@link #start()} returns once the port is bound; {@link #stop()} stops accepting and reading,
 * lets running handlers finish, pending async answers come and answers go out within
 * {@code shutdownTimeout}, then closes what is left. The accept thread is not a daemon (a running
 * server keeps the JVM alive); the other threads are. Threads from a configured
 * {@link java.util.concurrent.ThreadFactory} are renamed to their role ({@code anet-accept},
 * {@code anet-conn-<addr>-reader}, {@code anet-handler-N}).
 */
public final class AnetServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AnetServer.class);

	private final ServerConfig config;

	private final ServerListener listener;

	private final ServerThreads threads;

	private final ScheduledThreadPoolExecutor scheduler;

	private final Draining draining = new Draining();

	private final Connections connections;

	private final RequestTask.Shared requests;

	private final Dispatcher dispatcher;

	private final Object lifecycleMonitor = new Object();

	private volatile State state = State.NEW;

	private volatile @Nullable InetSocketAddress localAddress;

	private @Nullable ServerSocketChannel serverChannel;

	/**
	 * Create a server without metrics hooks.
	 * @param config the configuration
	 * @param handler the handler of every request
	 */
	public AnetServer(ServerConfig config, Handler handler) {
		this(config, handler, ServerListener.NONE);
	}

	/**
	 * Create a server.
	 * @param config the configuration
	 * @param handler the handler of every request
	 * @param listener the metrics hooks; exceptions it throws are logged and ignored
	 */
	public AnetServer(ServerConfig config, Handler handler, ServerListener listener) {
		this(Checks.notNull("config", config),
				HandlerChain.of(Checks.notNull("handler", handler), config.interceptors()), listener);
	}

	private AnetServer(ServerConfig config, HandlerChain chain, ServerListener listener) {
		this.config = config;
		this.listener = GuardedListener.of(Checks.notNull("listener", listener));
		this.threads = new ServerThreads(config.threadFactory());
		this.scheduler = ServerThreads.newScheduler();
		this.connections = new Connections(config.writeQueueDepth(), new FrameWriterPool(), this.listener,
				this.draining);
		this.requests = new RequestTask.Shared(chain, this.listener, new Permits(config.maxConcurrentHandlers()),
				this.draining, config.maxPendingAsync());
		this.dispatcher = new Dispatcher(config, this.requests, this.threads, this.scheduler);
	}

	/**
	 * Create a server whose answers come later: each is written when the stage the handler
	 * returned completes, and no thread waits for it meanwhile (see {@link AsyncHandler}).
	 * @param config the configuration
	 * @param handler the handler of every request
	 * @return the server, not started
	 */
	public static AnetServer async(ServerConfig config, AsyncHandler handler) {
		return async(config, handler, ServerListener.NONE);
	}

	/**
	 * Create a server whose answers come later (see {@link AsyncHandler}).
	 * @param config the configuration
	 * @param handler the handler of every request
	 * @param listener the metrics hooks; exceptions it throws are logged and ignored
	 * @return the server, not started
	 */
	public static AnetServer async(ServerConfig config, AsyncHandler handler, ServerListener listener) {
		Checks.notNull("config", config);
		return new AnetServer(config, HandlerChain.ofAsync(Checks.notNull("handler", handler), config.interceptors()),
				listener);
	}

	/**
	 * Bind the port and start accepting connections. Returns once the port is bound.
	 * @throws UncheckedIOException "Failed to start anet server on port N" if the port cannot be
	 * bound (the cause is then a {@link java.net.BindException}); the server can be started again
	 * @throws IllegalStateException if the server was started before
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.state != State.NEW) {
				throw new IllegalStateException("anet server was already started (" + this.state + ")");
			}
			ServerSocketChannel channel = Acceptor.bind(this.config);
			try {
				this.localAddress = (InetSocketAddress) channel.getLocalAddress();
			}
			catch (IOException ex) {
				Acceptor.closeQuietly(channel);
				throw new UncheckedIOException("Failed to start anet server on port " + this.config.port(), ex);
			}
			this.serverChannel = channel;
			new Watchdog(this.connections, this.config).scheduleOn(this.scheduler);
			Acceptor acceptor = new Acceptor(channel, this.config, this.connections,
					(connection) -> new ConnectionReader(connection, this.dispatcher, this.listener, this.draining,
							this.threads, this.config.tls()),
					this.threads, this.listener, this.draining, port());
			this.threads.newThread("anet-accept", false, acceptor).start();
			this.state = State.RUNNING;
		}
		logger.info("anet server started on {}", this.localAddress);
	}

	/**
	 * Stop the server: stop accepting, stop reading new frames, let running handlers finish,
	 * pending async answers come and answers go out within {@code shutdownTimeout}, then close
	 * every remaining connection. Idempotent; harmless before {@link #start()}; never blocks much
	 * longer than {@code shutdownTimeout}. Handlers still running then are interrupted (when the
	 * server owns the handler threads); async answers still pending are abandoned (their stages
	 * cancelled, counted as {@link HandlerOutcome#ABANDONED}).
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (this.state != State.RUNNING) {
				return;
			}
			this.state = State.STOPPING;
		}
		Duration timeout = this.config.shutdownTimeout();
		long deadline = System.nanoTime() + timeout.toNanos();
		this.draining.begin();
		ServerSocketChannel channel = this.serverChannel;
		if (channel != null) {
			Acceptor.closeQuietly(channel);
		}
		this.connections.shutdownInput();
		boolean drained = this.draining.await(deadline, this::isDrained);
		if (!drained) {
			int running = handlersRunning();
			int abandoned = this.requests.pending.abandonAll();
			logger.warn("anet server on port {} did not drain within {} ms (shutdownTimeout): closing {} connection(s) "
					+ "with {} handler(s) running and {} async answer(s) abandoned", port(), timeout.toMillis(),
					this.connections.count(), running, abandoned);
		}
		this.connections.closeAll();
		this.dispatcher.shutdown(!drained);
		this.scheduler.shutdownNow();
		synchronized (this.lifecycleMonitor) {
			this.state = State.STOPPED;
		}
		logger.info("anet server on port {} stopped", port());
	}

	/**
	 * Same as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Return the bound port.
	 * @return the port, or -1 before {@link #start()}
	 */
	public int port() {
		InetSocketAddress address = this.localAddress;
		return (address != null) ? address.getPort() : -1;
	}

	/**
	 * Return the bound address.
	 * @return the address, or {@code null} before {@link #start()}
	 */
	public @Nullable InetSocketAddress localAddress() {
		return this.localAddress;
	}

	/**
	 * Return whether the server was started and is not stopping.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/**
	 * Return the number of open connections.
	 * @return the count
	 */
	public int activeConnections() {
		return this.connections.count();
	}

	/**
	 * Return the number of handlers running or handed to the executor and about to run.
	 * @return the count
	 */
	public int handlersRunning() {
		return this.dispatcher.running();
	}

	/**
	 * Return the number of {@link AsyncHandler} requests whose answers are still to come (bounded
	 * by {@code maxPendingAsync}).
	 * @return the count; always 0 for a {@link Handler}
	 */
	public int pendingAsync() {
		return this.requests.pending.count();
	}

	/**
	 * Return the server's TLS configuration.
	 * @return the configuration, or {@code null} for plain TCP
	 */
	public @Nullable TlsConfig tls() {
		return this.config.tls();
	}

	@Override
	public String toString() {
		return "AnetServer[address=" + this.localAddress + ", state=" + this.state + ", connections="
				+ activeConnections() + "]";
	}

	Dispatcher dispatcher() {
		return this.dispatcher;
	}

	private boolean isDrained() {
		return this.connections.count() == 0 && this.dispatcher.running() == 0 && this.requests.pending.count() == 0;
	}

	private enum State {

		NEW, RUNNING, STOPPING, STOPPED

	}

}
