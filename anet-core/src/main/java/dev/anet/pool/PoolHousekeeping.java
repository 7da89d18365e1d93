package dev.anet.pool;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping of one {@link ConnectionPool}'s idle connections, run by the group's housekeeper
 * thread through {@link ConnectionPool#housekeep()}.
 *
 * <p>A pass first sorts the connections under the pool's lock: failed ones (idle or kept back) and
 * those idle longer than {@code idleTimeout} leave the pool's books, and idle ones that no
 * {@link AnetConnection.Tenant} reads are picked for validation. Then, without the lock, it closes
 * the ones it dropped and validates the picked ones one at a time: each is taken out of the idle set
 * under the lock (so that no caller gets it meanwhile), checked with the
 * {@link ValidationStrategy} without the lock, and given back with the idle time it had, or released.
 *
 * <p>No lock of its own: every access to the pool's books takes the pool's {@code lock}.
 */
final class PoolHousekeeping {

	// logs under the pool's name, as it did before housekeeping moved here
	private static final Logger logger = LoggerFactory.getLogger(ConnectionPool.class);

	private final ConnectionPool pool;

	/**
	 * Create the housekeeping of a pool.
	 * @param pool the pool whose idle connections it keeps
	 */
	PoolHousekeeping(ConnectionPool pool) {
		this.pool = pool;
	}

	/**
	 * Drop failed connections, close those idle longer than {@code idleTimeout}, and check the rest
	 * with the validation strategy.
	 */
	void run() {
		PoolConfig config = this.pool.config();
		long now = System.nanoTime();
		long idleTimeout = config.idleTimeout().toNanos();
		List<AnetConnection> toClose = new ArrayList<>();
		List<AnetConnection> toValidate = new ArrayList<>();
		this.pool.lock.lock();
		try {
			if (this.pool.closed) {
				return;
			}
			for (AnetConnection connection : new ArrayList<>(this.pool.idle)) {
				boolean expired = idleTimeout > 0 && !connection.busy() && now - connection.idleSinceNanos > idleTimeout;
				if (!connection.isUsable() || expired) {
					this.pool.idle.remove(connection);
					this.pool.forget(connection);
					toClose.add(connection);
				}
				else if (connection.tenant() == null && config.validationStrategy() != ValidationStrategy.NONE) {
					toValidate.add(connection);
				}
			}
			for (AnetConnection connection : this.pool.all) {
				if (connection.state == AnetConnection.PARKED && !connection.isUsable()) {
					toClose.add(connection);
				}
			}
			for (AnetConnection connection : toClose) {
				if (connection.state == AnetConnection.PARKED) {
					this.pool.forget(connection);
				}
			}
		}
		finally {
			this.pool.lock.unlock();
		}
		for (AnetConnection connection : toClose) {
			logger.debug("Closing {} connection {}", connection.isUsable() ? "idle" : "failed", connection);
			connection.close();
		}
		for (AnetConnection connection : toValidate) {
			validateIdle(connection);
		}
	}

	/**
	 * Take one idle connection out of the idle set, check it, and give it back or close it. One at a
	 * time, so that a READ check's wait keeps only the connection it checks from callers.
	 */
	private void validateIdle(AnetConnection connection) {
		long idleSince;
		this.pool.lock.lock();
		try {
			// since the pass began it may have been handed out, dropped, or the pool closed
			if (this.pool.closed || connection.state != AnetConnection.IDLE || !this.pool.idle.remove(connection)) {
				return;
			}
			connection.state = AnetConnection.ACTIVE;
			idleSince = connection.idleSinceNanos;
		}
		finally {
			this.pool.lock.unlock();
		}
		if (validate(connection)) {
			// validation is not use: the connection stays idle since it was last put back
			this.pool.giveBack(connection, idleSince);
		}
		else {
			logger.debug("Connection {} failed validation; closing it", connection);
			this.pool.release(connection);
		}
	}

	/**
	 * Check a connection up to {@code maxValidationAttempts} times: a check that failed with an
	 * error is tried again, but end of stream or unexpected bytes settle it at once (a retry would
	 * only find the stream past the byte the first check consumed).
	 */
	private boolean validate(AnetConnection connection) {
		PoolConfig config = this.pool.config();
		for (int attempt = 0; attempt < config.maxValidationAttempts(); attempt++) {
			AnetConnection.Probe result = connection.probe(config.validationStrategy(), config.validationTimeout());
			if (result != AnetConnection.Probe.FAILED) {
				return result == AnetConnection.Probe.HEALTHY;
			}
			if (!connection.isUsable()) {
				return false;
			}
		}
		return false;
	}

}
