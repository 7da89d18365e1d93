package dev.anet.pool;

/**
 * How the housekeeper checks idle connections that no multiplexed reader owns. A connection that a
 * broker's reader owns is never probed: its reader already knows whether it saw end-of-stream or an
 * error.
 */
public enum ValidationStrategy {

	/** No check. */
	NONE,

	/** A non-blocking probe: end-of-stream or an error means the peer is gone. Costs no waiting. */
	PING,

	/**
	 * A read that waits up to {@code validationTimeout}: the connection is healthy when the wait
	 * times out with nothing to read, dead on end-of-stream or an error. Catches a close that is
	 * still in flight, at the cost of the wait.
	 */
	READ

}
