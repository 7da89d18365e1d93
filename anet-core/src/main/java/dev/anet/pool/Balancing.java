package dev.anet.pool;

/**
 * How a {@link PoolGroup} picks the address for the next connection.
 */
public enum Balancing {

	/** The addresses in turn (the default). */
	ROUND_ROBIN,

	/**
	 * Two addresses picked at random; the one with fewer requests in flight wins (the "power of two
	 * choices"), so a slow address, whose requests pile up, gets fewer new ones.
	 */
	LEAST_IN_FLIGHT

}
