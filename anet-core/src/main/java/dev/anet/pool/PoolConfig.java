package dev.anet.pool;

import java.time.Duration;

import dev.anet.internal.Checks;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a connection pool. Build with {@link #builder()}; options not set keep
 * their {@code DEFAULT_*} value. Invalid values fail at {@link Builder#build()} with a message that
 * names the option and the value.
 *
 * @param capacity most connections per address
 * @param dialTimeout how long a dial may take
 * @param idleTimeout how long a connection may stay unused before the housekeeper closes it;
 * {@link Duration#ZERO} keeps idle connections
 * @param validationInterval how often the housekeeper runs; {@link Duration#ZERO} turns it off
 * @param validationStrategy how idle connections are checked
 * @param validationTimeout how long one {@link ValidationStrategy#READ} check waits
 * @param maxValidationAttempts checks of one idle connection, per housekeeping pass, before it is
 * declared dead when each check fails with an error; end of stream or unexpected bytes declare it
 * dead at the first check
 * @param keepAliveInterval TCP keep-alive idle time and probe interval; {@link Duration#ZERO} turns
 * keep-alive off
 * @param noDelay whether TCP_NODELAY is set (Nagle off)
 * @param tls TLS for every connection (the handshake is part of the dial), or {@code null} for plain
 * TCP
 */
public record PoolConfig(int capacity, Duration dialTimeout, Duration idleTimeout, Duration validationInterval,
		ValidationStrategy validationStrategy, Duration validationTimeout, int maxValidationAttempts,
		Duration keepAliveInterval, boolean noDelay, @Nullable TlsConfig tls) {

	public static final int DEFAULT_CAPACITY = 8;

	public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);

	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	public static final Duration DEFAULT_VALIDATION_INTERVAL = Duration.ofSeconds(30);

	public static final ValidationStrategy DEFAULT_VALIDATION_STRATEGY = ValidationStrategy.READ;

	public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(1);

	public static final int DEFAULT_MAX_VALIDATION_ATTEMPTS = 3;

	public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

	public static final boolean DEFAULT_NO_DELAY = true;

	public PoolConfig {
		Checks.positive("capacity", capacity);
		Checks.positive("dialTimeout", dialTimeout);
		Checks.notNegative("idleTimeout", idleTimeout);
		Checks.notNegative("validationInterval", validationInterval);
		Checks.notNull("validationStrategy", validationStrategy);
		Checks.positive("validationTimeout", validationTimeout);
		Checks.positive("maxValidationAttempts", maxValidationAttempts);
		Checks.notNegative("keepAliveInterval", keepAliveInterval);
	}

	/**
	 * Create a plain-TCP configuration (no TLS).
	 */
	public PoolConfig(int capacity, Duration dialTimeout, Duration idleTimeout, Duration validationInterval,
			ValidationStrategy validationStrategy, Duration validationTimeout, int maxValidationAttempts,
			Duration keepAliveInterval, boolean noDelay) {
		this(capacity, dialTimeout, idleTimeout, validationInterval, validationStrategy, validationTimeout,
				maxValidationAttempts, keepAliveInterval, noDelay, null);
	}

	/**
	 * Return the default configuration.
	 * @return the defaults
	 */
	public static PoolConfig defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder that starts from this configuration.
	 * @return a builder
	 */
	public Builder toBuilder() {
		return new Builder().capacity(this.capacity)
			.dialTimeout(this.dialTimeout)
			.idleTimeout(this.idleTimeout)
			.validationInterval(this.validationInterval)
			.validationStrategy(this.validationStrategy)
			.validationTimeout(this.validationTimeout)
			.maxValidationAttempts(this.maxValidationAttempts)
			.keepAliveInterval(this.keepAliveInterval)
			.noDelay(this.noDelay)
			.tls(this.tls);
	}

	/**
	 * Builder of {@link PoolConfig}. Defaults: capacity {@value #DEFAULT_CAPACITY}, dialTimeout 5s,
	 * idleTimeout 60s, validationInterval 30s, validationStrategy READ, validationTimeout 1s,
	 * maxValidationAttempts {@value #DEFAULT_MAX_VALIDATION_ATTEMPTS}, keepAliveInterval 30s,
	 * noDelay {@value #DEFAULT_NO_DELAY}, no TLS.
	 */
	public static final class Builder {

		private int capacity = DEFAULT_CAPACITY;

		private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;

		private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

		private Duration validationInterval = DEFAULT_VALIDATION_INTERVAL;

		private ValidationStrategy validationStrategy = DEFAULT_VALIDATION_STRATEGY;

		private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;

		private int maxValidationAttempts = DEFAULT_MAX_VALIDATION_ATTEMPTS;

		private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;

		private boolean noDelay = DEFAULT_NO_DELAY;

		private @Nullable TlsConfig tls;

		private Builder() {
		}

		public Builder capacity(int capacity) {
			this.capacity = capacity;
			return this;
		}

		public Builder dialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		public Builder validationInterval(Duration validationInterval) {
			this.validationInterval = validationInterval;
			return this;
		}

		public Builder validationStrategy(ValidationStrategy validationStrategy) {
			this.validationStrategy = validationStrategy;
			return this;
		}

		public Builder validationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
			return this;
		}

		public Builder maxValidationAttempts(int maxValidationAttempts) {
			this.maxValidationAttempts = maxValidationAttempts;
			return this;
		}

		public Builder keepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
			return this;
		}

		public Builder noDelay(boolean noDelay) {
			this.noDelay = noDelay;
			return this;
		}

		/**
		 * Dial every connection over TLS.
		 * @param tls the TLS configuration, or {@code null} for plain TCP
		 * @return this builder
		 */
		public Builder tls(@Nullable TlsConfig tls) {
			this.tls = tls;
			return this;
		}

		public PoolConfig build() {
			return new PoolConfig(this.capacity, this.dialTimeout, this.idleTimeout, this.validationInterval,
					this.validationStrategy, this.validationTimeout, this.maxValidationAttempts,
					this.keepAliveInterval, this.noDelay, this.tls);
		}

	}

}
