package dev.anet.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.anet.pool.ValidationStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration properties for anet: {@code anet.pool.*} and {@code anet.broker.*} for calling
 * anet servers, {@code anet.server.*} for serving {@link dev.anet.boot.AnetHandler} requests.
 * Every option of the core's {@code PoolConfig}, {@code BrokerConfig} and {@code ServerConfig} has
 * a property here, with the core's default. {@code anet.clients.<name>.*} adds named clients
 * ({@link AnetClientProperties}).
 */
@ConfigurationProperties("anet")
public class AnetProperties {

	private final Pool pool = new Pool();

	private final Broker broker = new Broker();

	private final Server server = new Server();

	/**
	 * Named clients, each with its own addresses, pool group and broker: a Broker bean named
	 * <name>AnetBroker with qualifier <name>. Keys: addresses, balancing, pool.*, broker.*,
	 * discovery.service-id, discovery.refresh-interval; unset pool.* and broker.* keys come from
	 * anet.pool and anet.broker.
	 */
	private final Map<String, AnetClientProperties> clients = new LinkedHashMap<>();

	public Pool getPool() {
		return this.pool;
	}

	public Broker getBroker() {
		return this.broker;
	}

	public Server getServer() {
		return this.server;
	}

	public Map<String, AnetClientProperties> getClients() {
		return this.clients;
	}

	/**
	 * Connection pools: one per address.
	 */
	public static class Pool {

		/**
		 * Addresses (host:port, an IPv6 host in brackets) of the anet servers to call, picked
		 * round-robin with failover. When set, a pool group and a broker are auto-configured.
		 * May refer to ${local.anet.server.port}: resolved when the first connection is needed.
		 */
		private List<String> addresses = new ArrayList<>();

		/**
		 * Maximum number of connections per address.
		 */
		private int capacity = 8;

		/**
		 * Maximum time to establish a connection.
		 */
		private Duration dialTimeout = Duration.ofSeconds(5);

		/**
		 * Time a connection may stay unused before it is closed. 0 keeps idle connections.
		 */
		private Duration idleTimeout = Duration.ofSeconds(60);

		/**
		 * Interval between housekeeping passes that close old idle connections and validate
		 * the rest. 0 turns housekeeping off.
		 */
		private Duration validationInterval = Duration.ofSeconds(30);

		/**
		 * How idle connections are checked: none, ping (a non-blocking probe) or read (a read
		 * that waits up to the validation timeout).
		 */
		private ValidationStrategy validationStrategy = ValidationStrategy.READ;

		/**
		 * Maximum time one read validation waits.
		 */
		private Duration validationTimeout = Duration.ofSeconds(1);

		/**
		 * Number of failed checks of an idle connection, per housekeeping pass, before it is
		 * closed.
		 */
		private int maxValidationAttempts = 3;

		/**
		 * TCP keep-alive idle time and probe interval. 0 turns keep-alive off.
		 */
		private Duration keepAliveInterval = Duration.ofSeconds(30);

		/**
		 * Whether to set TCP_NODELAY (turn Nagle's algorithm off).
		 */
		private boolean noDelay = true;

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public Duration getDialTimeout() {
			return this.dialTimeout;
		}

		public void setDialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getValidationInterval() {
			return this.validationInterval;
		}

		public void setValidationInterval(Duration validationInterval) {
			this.validationInterval = validationInterval;
		}

		public ValidationStrategy getValidationStrategy() {
			return this.validationStrategy;
		}

		public void setValidationStrategy(ValidationStrategy validationStrategy) {
			this.validationStrategy = validationStrategy;
		}

		public Duration getValidationTimeout() {
			return this.validationTimeout;
		}

		public void setValidationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
		}

		public int getMaxValidationAttempts() {
			return this.maxValidationAttempts;
		}

		public void setMaxValidationAttempts(int maxValidationAttempts) {
			this.maxValidationAttempts = maxValidationAttempts;
		}

		public Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

		public boolean isNoDelay() {
			return this.noDelay;
		}

		public void setNoDelay(boolean noDelay) {
			this.noDelay = noDelay;
		}

		/**
		 * TLS of the pools' connections.
		 */
		@NestedConfigurationProperty
		private final AnetPoolSslProperties ssl = new AnetPoolSslProperties();

		public AnetPoolSslProperties getSsl() {
			return this.ssl;
		}

	}

	/**
	 * Broker: sends requests over the pools and matches answers by task id.
	 */
	public static class Broker {

		/**
		 * Number of threads that write the requests callers could not write themselves because
		 * every connection was busy.
		 */
		private int workers = 4;

		/**
		 * Maximum time one write may block before its connection is declared lost.
		 */
		private Duration writeTimeout = Duration.ofSeconds(5);

		/**
		 * Maximum time a request waits for its answer. A caller's own timeout can only shorten
		 * it.
		 */
		private Duration readTimeout = Duration.ofSeconds(30);

		/**
		 * Maximum number of requests accepted but not yet written. One more is rejected at
		 * once.
		 */
		private int queueSize = 4096;

		/**
		 * Whether to start each connection with small buffers that grow for large frames,
		 * instead of buffers sized for the largest frame.
		 */
		private boolean optimizeMemory = false;

		/**
		 * Maximum number of requests in flight on one connection. 1 gives strict one-at-a-time
		 * use.
		 */
		private int maxInFlightPerConnection = 256;

		/**
		 * Maximum time closing the broker waits for requests in flight.
		 */
		private Duration closeTimeout = Duration.ofSeconds(5);

		public int getWorkers() {
			return this.workers;
		}

		public void setWorkers(int workers) {
			this.workers = workers;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public int getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(int queueSize) {
			this.queueSize = queueSize;
		}

		public boolean isOptimizeMemory() {
			return this.optimizeMemory;
		}

		public void setOptimizeMemory(boolean optimizeMemory) {
			this.optimizeMemory = optimizeMemory;
		}

		public int getMaxInFlightPerConnection() {
			return this.maxInFlightPerConnection;
		}

		public void setMaxInFlightPerConnection(int maxInFlightPerConnection) {
			this.maxInFlightPerConnection = maxInFlightPerConnection;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

	}

	/**
	 * Server: runs the {@code @AnetHandler} handlers.
	 */
	public static class Server {

		/**
		 * Whether to run the anet server. When not set, it runs if at least one @AnetHandler
		 * exists; when true, start-up fails without one; when false, it never runs.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Network address to bind (0.0.0.0 for every interface).
		 */
		private String address = "0.0.0.0";

		/**
		 * Port to listen on. 0 picks a free port, published as local.anet.server.port.
		 */
		private int port = 9000;

		/**
		 * Maximum time the rest of a frame may take once its first bytes arrived. 0 turns the
		 * limit off.
		 */
		private Duration readTimeout = Duration.ofSeconds(30);

		/**
		 * Maximum time one write of answers may block before the connection is closed. 0 turns
		 * the limit off.
		 */
		private Duration writeTimeout = Duration.ofSeconds(5);

		/**
		 * Time a connection may stay quiet (no frame, no handler running) before it is closed.
		 * 0 keeps quiet connections.
		 */
		private Duration idleTimeout = Duration.ofSeconds(0);

		/**
		 * TCP keep-alive idle time and probe interval. 0 turns keep-alive off.
		 */
		private Duration keepAliveInterval = Duration.ofSeconds(30);

		/**
		 * Maximum number of open connections; one more is closed at once and counted. 0 means no
		 * limit.
		 */
		private int maxConns = 10000;

		/**
		 * Maximum number of handlers running at once, over all connections.
		 */
		private int maxConcurrentHandlers = 1024;

		/**
		 * Number of requests of one connection that may run, wait for an asynchronous answer or
		 * wait for their answer to be written before the connection stops being read.
		 */
		private int writeQueueDepth = 64;

		/**
		 * Maximum number of requests whose asynchronous answer (an @AnetHandler method that
		 * returns a CompletableFuture or CompletionStage) is still to come, over all connections;
		 * one more is not handled and is counted as rejected.
		 */
		private int maxPendingAsync = 10000;

		/**
		 * Whether to set SO_REUSEPORT on the listening socket, where the platform supports it.
		 */
		private boolean reusePort = false;

		/**
		 * Maximum time a graceful stop waits for running handlers, pending asynchronous answers
		 * and their writes.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(5);

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public String getAddress() {
			return this.address;
		}

		public void setAddress(String address) {
			this.address = address;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

		public int getMaxConns() {
			return this.maxConns;
		}

		public void setMaxConns(int maxConns) {
			this.maxConns = maxConns;
		}

		public int getMaxConcurrentHandlers() {
			return this.maxConcurrentHandlers;
		}

		public void setMaxConcurrentHandlers(int maxConcurrentHandlers) {
			this.maxConcurrentHandlers = maxConcurrentHandlers;
		}

		public int getWriteQueueDepth() {
			return this.writeQueueDepth;
		}

		public void setWriteQueueDepth(int writeQueueDepth) {
			this.writeQueueDepth = writeQueueDepth;
		}

		public int getMaxPendingAsync() {
			return this.maxPendingAsync;
		}

		public void setMaxPendingAsync(int maxPendingAsync) {
			this.maxPendingAsync = maxPendingAsync;
		}

		public boolean isReusePort() {
			return this.reusePort;
		}

		public void setReusePort(boolean reusePort) {
			this.reusePort = reusePort;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		/**
		 * TLS of the server's connections.
		 */
		@NestedConfigurationProperty
		private final AnetServerSslProperties ssl = new AnetServerSslProperties();

		public AnetServerSslProperties getSsl() {
			return this.ssl;
		}

	}

}
