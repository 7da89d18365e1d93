package dev.anet.pool;

/**
 * How a {@link PoolGroup} picks the address for the next connection.
 */
public enum Balancing {

	/** The addresses in turn (the default). */
	ROUND_ROBIN,

	/**
	 * Two addresses picked at random (the "power of two choices"); the one whose requests in flight
	 * cost less wins: its requests in flight plus the new one, times its recent answer time (a
	 * peak-sensitive moving average of the answers its broker saw, as in Finagle's and Linkerd's
	 * "peak EWMA"). A slow address therefore gets a request only when a fast one has that many times
	 * more in flight. Where an answer time is not known (no answer yet, or none in the last second,
	 * so that an address once slow is tried again), the one with fewer requests in flight wins.
	 * With this balancing the broker picks the address again for every write.
	 */
	LEAST_IN_FLIGHT

}
