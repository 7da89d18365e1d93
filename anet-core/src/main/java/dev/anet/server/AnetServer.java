package dev.anet.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.internal.Checks;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An anet server: accepts connections, reads their frames, runs the {@link Handler} for each
 * request and writes {@code [length][task id][answer]} back.
 *
 * <pre>
 *   anet-accept ──► connection ──► anet-conn-&lt;addr&gt;-reader ──► handler threads ──► answers
 *                                  (one read: every complete       (concurrent, also    (batched,
 *                                   frame in the buffer)            on one connection)   no writer thread)
 * </pre>
 *
 * <ul>
 * <li>Requests of one connection run concurrently, at most {@code maxConcurrentHandlers} over the
 * whole server; answers go out in the order they finish, so clients match them by task id.</li>
 * <li>A handler that finishes writes its answer itself, together with every answer queued while it
 * writes, in one gathering write; the writes of one connection never interleave.</li>
 * <li>A connection with {@code writeQueueDepth} requests running or waiting to be written is not
 * read until one is written (backpressure), see {@link ServerConfig#writeQueueDepth()}.</li>
 * <li>A handler that throws, returns {@code null} or an answer over 65531 bytes fails only its
 * own request: nothing is sent, the outcome goes to the {@link ServerListener}.</li>
 * <li>A frame with a length under 4 closes its connection (and only it).</li>
 * <li>One watchdog thread enforces {@code readTimeout}, {@code writeTimeout} and
 * {@code idleTimeout}.</li>
 * <li>Handlers run on the configured {@code handlerExecutor}; without one, on a new virtual thread
 * each when the {@code threadFactory} makes virtual threads, else on the server's own pool: a few
 * hot threads ({@code anet-handler-N}, twice the processors) that grow when handlers block.</li>
 * <li>With the server's own pool, a connection whose handlers have been quick (about 16 under
 * 50 µs, a slower one counting as -8) runs them on its reader thread and answers a whole read with
 * one write: no thread hand-off. A handler that waits there longer than 1 ms (or runs longer than
 * 10 ms: blocking socket I/O and a preempted reader both look running to Java) loses the reader
 * role to a new reader thread (see {@link InlineMonitor}), so the requests behind it wait that long
 * at most, and the connection goes back to the pool until its handlers are quick again.</li>
 * </ul>
 *
 * <p>
 * {@link #start()} returns once the port is bound; {@link #stop()} stops accepting and reading,
 * lets running handlers finish and their answers go out within {@code shutdownTimeout}, then
 * closes what is left. The accept thread is not a daemon (a running server keeps the JVM alive);
 * the other threads are. Threads from a configured {@link java.util.concurrent.ThreadFactory} are
 * renamed to their role ({@code anet-accept}, {@code anet-conn-<addr>-reader},
 * {@code anet-handler-N}).
 */
public final class AnetServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AnetServer.class);

	private final ServerConfig config;

	private final Handler handler;

	/** The handler behind the configured interceptors. */
	private final HandlerChain chain;

	private final ServerListener listener;

	private final ServerThreads threads;

	private final ScheduledThreadPoolExecutor scheduler;

	private final HandlerDispatcher dispatcher;

	private final FrameWriterPool writers = new FrameWriterPool();

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger openConnections = new AtomicInteger();

	private final AtomicLong connectionIds = new AtomicLong();

	private final Object lifecycleMonitor = new Object();

	private final Object drainMonitor = new Object();

	private volatile State state = State.NEW;

	private volatile boolean stopping;

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
		this.config = Checks.notNull("config", config);
		this.handler = Checks.notNull("handler", handler);
		this.chain = new HandlerChain(handler, config.interceptors());
		this.listener = GuardedListener.of(Checks.notNull("listener", listener));
		this.threads = new ServerThreads(config.threadFactory());
		this.scheduler = ServerThreads.newScheduler();
		this.dispatcher = new HandlerDispatcher(this, config, this.threads, this.scheduler);
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
				closeQuietly(channel);
				throw new UncheckedIOException("Failed to start anet server on port " + this.config.port(), ex);
			}
			this.serverChannel = channel;
			startWatchdog();
			this.threads.newThread("anet-accept", false, new Acceptor(this, channel, this.threads)).start();
			this.state = State.RUNNING;
		}
		logger.info("anet server started on {}", this.localAddress);
	}

	/**
	 * Stop the server: stop accepting, stop reading new frames, let running handlers finish and
	 * their answers go out within {@code shutdownTimeout}, then close every remaining connection.
	 * Idempotent; harmless before {@link #start()}; never blocks much longer than
	 * {@code shutdownTimeout}. Handlers still running then are interrupted (when the server owns
	 * the handler threads).
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
		this.stopping = true;
		ServerSocketChannel channel = this.serverChannel;
		if (channel != null) {
			closeQuietly(channel);
		}
		for (Connection connection : this.connections) {
			connection.shutdownInput();
		}
		boolean drained = awaitDrained(deadline);
		if (!drained) {
			logger.warn("anet server on port {} did not drain within {} ms (shutdownTimeout): closing {} connection(s) "
					+ "with {} handler(s) running", port(), timeout.toMillis(), this.connections.size(), handlersRunning());
		}
		for (Connection connection : this.connections) {
			connection.close();
		}
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
		return this.openConnections.get();
	}

	/**
	 * Return the number of handlers running or handed to the executor and about to run.
	 * @return the count
	 */
	public int handlersRunning() {
		return this.dispatcher.running();
	}

	@Override
	public String toString() {
		return "AnetServer[address=" + this.localAddress + ", state=" + this.state + ", connections="
				+ activeConnections() + "]";
	}

	Handler handler() {
		return this.handler;
	}

	HandlerChain chain() {
		return this.chain;
	}

	ServerListener listener() {
		return this.listener;
	}

	FrameWriterPool writers() {
		return this.writers;
	}

	boolean isStopping() {
		return this.stopping;
	}

	HandlerDispatcher dispatcher() {
		return this.dispatcher;
	}

	ServerThreads threads() {
		return this.threads;
	}

	/**
	 * A handler returned or threw: its permit comes back.
	 */
	void handlerFinished() {
		this.dispatcher.release();
		if (this.stopping) {
			signalDrain();
		}
	}

	/**
	 * Return the configuration.
	 * @return the configuration
	 */
	/**
	 * Return the server's TLS configuration.
	 * @return the configuration, or {@code null} for plain TCP
	 */
	public dev.anet.tls.@org.jspecify.annotations.Nullable TlsConfig tls() {
		return this.config.tls();
	}

	ServerConfig config() {
		return this.config;
	}

	/**
	 * Return a new connection id.
	 * @return the id
	 */
	long nextConnectionId() {
		return this.connectionIds.incrementAndGet();
	}

	/**
	 * A connection was accepted: count it, tell the listener and track it. Called by the
	 * {@link Acceptor} before the connection's reader starts.
	 * @param connection the connection
	 */
	void connectionOpened(Connection connection) {
		this.openConnections.incrementAndGet();
		this.listener.connectionOpened(connection);
		this.connections.add(connection);
	}

	/**
	 * A connection closed: forget it.
	 * @param connection the connection
	 */
	void connectionClosed(Connection connection) {
		if (this.connections.remove(connection)) {
			this.listener.connectionClosed(connection);
			this.openConnections.decrementAndGet();
		}
		if (this.stopping) {
			signalDrain();
		}
	}

	private void startWatchdog() {
		new Watchdog(this.connections, this.config).scheduleOn(this.scheduler);
	}

	private boolean awaitDrained(long deadline) {
		synchronized (this.drainMonitor) {
			while (activeConnections() > 0 || handlersRunning() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drainMonitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	private void signalDrain() {
		synchronized (this.drainMonitor) {
			this.drainMonitor.notifyAll();
		}
	}

	static void closeQuietly(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close {}", channel, ex);
		}
	}

	private enum State {

		NEW, RUNNING, STOPPING, STOPPED

	}

}
