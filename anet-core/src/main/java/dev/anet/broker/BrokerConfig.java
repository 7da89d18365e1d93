package dev.anet.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import dev.anet.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link Broker}. Build with {@link #builder()}; options not set keep
 * their {@code DEFAULT_*} value. Invalid values fail at {@link Builder#build()} with a message that
 * names the option and the value.
 *
 * @param workers threads that write the requests callers could not write themselves (all
 * connections busy) and wait for connections on their behalf
 * @param writeTimeout how long one write may block before its connection is declared lost
 * @param readTimeout the longest a request waits for its answer; a caller's own timeout can only
 * shorten it
 * @param queueSize most requests accepted but not yet written; one more is rejected at once
 * @param optimizeMemory whether to start each connection with small buffers that grow for large
 * frames, instead of buffers sized for the largest frame
 * @param maxInFlightPerConnection most requests in flight on one connection; 1 gives strict
 * one-at-a-time use
 * @param closeTimeout how long {@link Broker#close()} waits for requests in flight
 * @param threadFactory makes the reader and worker threads; a virtual-thread factory gives virtual
 * threads; {@code null} uses named daemon platform threads
 * @param interceptors run around every send, in this order (see {@link BrokerInterceptor}); empty
 * for none
 */
public record BrokerConfig(int workers, Duration writeTimeout, Duration readTimeout, int queueSize,
		boolean optimizeMemory, int maxInFlightPerConnection, Duration closeTimeout,
		@Nullable ThreadFactory threadFactory, List<BrokerInterceptor> interceptors) {

	public static final int DEFAULT_WORKERS = 4;

	public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);

	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	public static final int DEFAULT_QUEUE_SIZE = 4096;

	public static final boolean DEFAULT_OPTIMIZE_MEMORY = false;

	public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256;

	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	public BrokerConfig {
		Checks.positive("workers", workers);
		Checks.positive("writeTimeout", writeTimeout);
		Checks.positive("readTimeout", readTimeout);
		Checks.positive("queueSize", queueSize);
		Checks.positive("maxInFlightPerConnection", maxInFlightPerConnection);
		Checks.notNegative("closeTimeout", closeTimeout);
		interceptors = List.copyOf(Checks.notNull("interceptors", interceptors));
	}

	public static BrokerConfig defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builder of {@link BrokerConfig}. Defaults: workers {@value #DEFAULT_WORKERS}, writeTimeout 5s,
	 * readTimeout 30s, queueSize {@value #DEFAULT_QUEUE_SIZE}, optimizeMemory
	 * {@value #DEFAULT_OPTIMIZE_MEMORY}, maxInFlightPerConnection
	 * {@value #DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION}, closeTimeout 5s, platform threads.
	 */
	public static final class Builder {

		private int workers = DEFAULT_WORKERS;

		private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

		private Duration readTimeout = DEFAULT_READ_TIMEOUT;

		private int queueSize = DEFAULT_QUEUE_SIZE;

		private boolean optimizeMemory = DEFAULT_OPTIMIZE_MEMORY;

		private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private @Nullable ThreadFactory threadFactory;

		private final List<BrokerInterceptor> interceptors = new ArrayList<>();

		private Builder() {
		}

		public Builder workers(int workers) {
			this.workers = workers;
			return this;
		}

		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		public Builder queueSize(int queueSize) {
			this.queueSize = queueSize;
			return this;
		}

		public Builder optimizeMemory(boolean optimizeMemory) {
			this.optimizeMemory = optimizeMemory;
			return this;
		}

		public Builder maxInFlightPerConnection(int maxInFlightPerConnection) {
			this.maxInFlightPerConnection = maxInFlightPerConnection;
			return this;
		}

		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		public Builder threadFactory(@Nullable ThreadFactory threadFactory) {
			this.threadFactory = threadFactory;
			return this;
		}

		/**
		 * Add an interceptor, run after the ones added before it.
		 * @param interceptor the interceptor
		 * @return this builder
		 */
		public Builder interceptor(BrokerInterceptor interceptor) {
			this.interceptors.add(Checks.notNull("interceptor", interceptor));
			return this;
		}

		/**
		 * Replace the interceptors.
		 * @param interceptors the interceptors, in order
		 * @return this builder
		 */
		public Builder interceptors(List<BrokerInterceptor> interceptors) {
			this.interceptors.clear();
			interceptors.forEach(this::interceptor);
			return this;
		}

		public BrokerConfig build() {
			return new BrokerConfig(this.workers, this.writeTimeout, this.readTimeout, this.queueSize,
					this.optimizeMemory, this.maxInFlightPerConnection, this.closeTimeout, this.threadFactory,
					this.interceptors);
		}

	}

}
