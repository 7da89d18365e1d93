package dev.anet.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import dev.anet.internal.Checks;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of an {@link AnetServer}. Build with {@link #builder()}; options not set
 * keep their {@code DEFAULT_*} value. Invalid values fail at {@link Builder#build()} with a message
 * that names the option and the value.
 *
 * @param address the address to bind ({@code 0.0.0.0} for every interface)
 * @param port the port to bind; 0 picks a free one ({@link AnetServer#port()} tells which)
 * @param readTimeout how long the rest of a frame may take once its first bytes arrived (guards
 * against slowloris); {@link Duration#ZERO} turns it off
 * @param writeTimeout how long one write of answers may block before the connection is closed;
 * {@link Duration#ZERO} turns it off
 * @param idleTimeout how long a connection may stay quiet (no frame, no handler running) before it
 * is closed; {@link Duration#ZERO} keeps quiet connections
 * @param keepAliveInterval TCP keep-alive idle time and probe interval; {@link Duration#ZERO} turns
 * keep-alive off
 * @param maxConns most open connections; one more is closed at once and counted; 0 means no limit
 * @param maxConcurrentHandlers most handlers running at once, over all connections
 * @param writeQueueDepth requests of one connection that may run, wait for an async answer, or wait
 * for their answer to be written before the connection stops being read (backpressure); the
 * reader goes on once one of them is answered
 * @param reusePort whether to set SO_REUSEPORT on the listening socket (where supported)
 * @param shutdownTimeout how long {@link AnetServer#stop()} waits for running handlers, pending
 * async answers and their writes
 * @param threadFactory makes the accept and reader threads (and handler threads when no executor is
 * given); a virtual-thread factory gives virtual threads; {@code null} uses named platform threads
 * @param handlerExecutor runs the handlers; {@code null} uses threads from the thread factory
 * @param tls TLS for every accepted connection, or {@code null} for plain TCP
 * @param interceptors run around every handler run, the first outermost (see
 * {@link HandlerInterceptor}); empty for none
 * @param maxPendingAsync most requests of an {@link AsyncHandler} whose answers are still to come,
 * over all connections; one more is not handled and is counted as {@link HandlerOutcome#REJECTED}
 */
public record ServerConfig(String address, int port, Duration readTimeout, Duration writeTimeout,
		Duration idleTimeout, Duration keepAliveInterval, int maxConns, int maxConcurrentHandlers,
		int writeQueueDepth, boolean reusePort, Duration shutdownTimeout, @Nullable ThreadFactory threadFactory,
		@Nullable Executor handlerExecutor, @Nullable TlsConfig tls, List<HandlerInterceptor> interceptors,
		int maxPendingAsync) {

	public static final String DEFAULT_ADDRESS = "0.0.0.0";

	public static final int DEFAULT_PORT = 9000;

	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);

	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;

	public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

	public static final int DEFAULT_MAX_CONNS = 10_000;

	public static final int DEFAULT_MAX_CONCURRENT_HANDLERS = 1024;

	public static final int DEFAULT_WRITE_QUEUE_DEPTH = 64;

	public static final boolean DEFAULT_REUSE_PORT = false;

	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	public static final int DEFAULT_MAX_PENDING_ASYNC = 10_000;

	public ServerConfig {
		Checks.notNull("address", address);
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
		}
		Checks.notNegative("readTimeout", readTimeout);
		Checks.notNegative("writeTimeout", writeTimeout);
		Checks.notNegative("idleTimeout", idleTimeout);
		Checks.notNegative("keepAliveInterval", keepAliveInterval);
		Checks.notNegative("maxConns", maxConns);
		Checks.positive("maxConcurrentHandlers", maxConcurrentHandlers);
		Checks.positive("writeQueueDepth", writeQueueDepth);
		Checks.notNegative("shutdownTimeout", shutdownTimeout);
		interceptors = List.copyOf(Checks.notNull("interceptors", interceptors));
		Checks.positive("maxPendingAsync", maxPendingAsync);
	}

	/**
	 * Create a configuration with the default {@code maxPendingAsync}.
	 */
	public ServerConfig(String address, int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
			Duration keepAliveInterval, int maxConns, int maxConcurrentHandlers, int writeQueueDepth,
			boolean reusePort, Duration shutdownTimeout, @Nullable ThreadFactory threadFactory,
			@Nullable Executor handlerExecutor, @Nullable TlsConfig tls, List<HandlerInterceptor> interceptors) {
		this(address, port, readTimeout, writeTimeout, idleTimeout, keepAliveInterval, maxConns,
				maxConcurrentHandlers, writeQueueDepth, reusePort, shutdownTimeout, threadFactory, handlerExecutor, tls,
				interceptors, DEFAULT_MAX_PENDING_ASYNC);
	}

	/**
	 * Create a plain-TCP configuration (no TLS).
	 */
	public ServerConfig(String address, int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
			Duration keepAliveInterval, int maxConns, int maxConcurrentHandlers, int writeQueueDepth,
			boolean reusePort, Duration shutdownTimeout, @Nullable ThreadFactory threadFactory,
			@Nullable Executor handlerExecutor) {
		this(address, port, readTimeout, writeTimeout, idleTimeout, keepAliveInterval, maxConns,
				maxConcurrentHandlers, writeQueueDepth, reusePort, shutdownTimeout, threadFactory, handlerExecutor,
				null, List.of(), DEFAULT_MAX_PENDING_ASYNC);
	}

	public static ServerConfig defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builder of {@link ServerConfig}. Defaults: address {@value #DEFAULT_ADDRESS}, port
	 * {@value #DEFAULT_PORT}, readTimeout 30s, writeTimeout 5s, idleTimeout 0 (off),
	 * keepAliveInterval 30s, maxConns {@value #DEFAULT_MAX_CONNS}, maxConcurrentHandlers
	 * {@value #DEFAULT_MAX_CONCURRENT_HANDLERS}, writeQueueDepth {@value #DEFAULT_WRITE_QUEUE_DEPTH},
	 * reusePort false, shutdownTimeout 5s, platform threads, no TLS, maxPendingAsync
	 * {@value #DEFAULT_MAX_PENDING_ASYNC}.
	 */
	public static final class Builder {

		private String address = DEFAULT_ADDRESS;

		private int port = DEFAULT_PORT;

		private Duration readTimeout = DEFAULT_READ_TIMEOUT;

		private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;

		private int maxConns = DEFAULT_MAX_CONNS;

		private int maxConcurrentHandlers = DEFAULT_MAX_CONCURRENT_HANDLERS;

		private int writeQueueDepth = DEFAULT_WRITE_QUEUE_DEPTH;

		private boolean reusePort = DEFAULT_REUSE_PORT;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private @Nullable ThreadFactory threadFactory;

		private @Nullable Executor handlerExecutor;

		private @Nullable TlsConfig tls;

		private final List<HandlerInterceptor> interceptors = new ArrayList<>();

		private int maxPendingAsync = DEFAULT_MAX_PENDING_ASYNC;

		private Builder() {
		}

		public Builder address(String address) {
			this.address = address;
			return this;
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		public Builder keepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
			return this;
		}

		public Builder maxConns(int maxConns) {
			this.maxConns = maxConns;
			return this;
		}

		public Builder maxConcurrentHandlers(int maxConcurrentHandlers) {
			this.maxConcurrentHandlers = maxConcurrentHandlers;
			return this;
		}

		public Builder writeQueueDepth(int writeQueueDepth) {
			this.writeQueueDepth = writeQueueDepth;
			return this;
		}

		public Builder reusePort(boolean reusePort) {
			this.reusePort = reusePort;
			return this;
		}

		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		public Builder threadFactory(@Nullable ThreadFactory threadFactory) {
			this.threadFactory = threadFactory;
			return this;
		}

		public Builder handlerExecutor(@Nullable Executor handlerExecutor) {
			this.handlerExecutor = handlerExecutor;
			return this;
		}

		/**
		 * Serve every connection over TLS; the handshake runs on the connection's reader thread.
		 * @param tls the TLS configuration (a key store is needed), or {@code null} for plain TCP
		 * @return this builder
		 */
		public Builder tls(@Nullable TlsConfig tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * Add an interceptor, run inside the ones added before it.
		 * @param interceptor the interceptor
		 * @return this builder
		 */
		public Builder interceptor(HandlerInterceptor interceptor) {
			this.interceptors.add(Checks.notNull("interceptor", interceptor));
			return this;
		}

		/**
		 * Replace the interceptors.
		 * @param interceptors the interceptors, the first outermost
		 * @return this builder
		 */
		public Builder interceptors(List<HandlerInterceptor> interceptors) {
			this.interceptors.clear();
			interceptors.forEach(this::interceptor);
			return this;
		}

		/**
		 * Bound the requests of an {@link AsyncHandler} whose answers are still to come, over all
		 * connections; one more is not handled (counted as {@link HandlerOutcome#REJECTED}).
		 * @param maxPendingAsync the bound
		 * @return this builder
		 */
		public Builder maxPendingAsync(int maxPendingAsync) {
			this.maxPendingAsync = maxPendingAsync;
			return this;
		}

		public ServerConfig build() {
			return new ServerConfig(this.address, this.port, this.readTimeout, this.writeTimeout, this.idleTimeout,
					this.keepAliveInterval, this.maxConns, this.maxConcurrentHandlers, this.writeQueueDepth,
					this.reusePort, this.shutdownTimeout, this.threadFactory, this.handlerExecutor, this.tls,
					this.interceptors, this.maxPendingAsync);
		}

	}

}
