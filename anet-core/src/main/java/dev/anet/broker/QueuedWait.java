package dev.anet.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.anet.pool.Addresses;
import dev.anet.pool.ConnectionPool;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolStats;

/**
 * Says what a request that timed out while still queued was waiting for, for its timeout message:
 * a dial in progress (to which address, for how long), every connection at its in-flight bound, or
 * the state of each address's pool. Runs only when such a request times out.
 */
final class QueuedWait {

	private QueuedWait() {
	}

	/**
	 * Describe what queued requests are waiting for now.
	 * @param pools the broker's pools
	 * @param maxInFlight the broker's {@code maxInFlightPerConnection}
	 * @return for example {@code dial to 10.0.0.5:1500 in progress for 480 ms}
	 */
	static String describe(PoolGroup pools, int maxInFlight) {
		long now = System.nanoTime();
		List<String> dials = new ArrayList<>();
		for (ConnectionPool pool : pools.pools()) {
			long dialling = pool.dialInProgressNanos(now);
			if (dialling >= 0) {
				dials.add("dial to " + Addresses.format(pool.address()) + " in progress for "
						+ TimeUnit.NANOSECONDS.toMillis(dialling) + " ms");
			}
		}
		if (!dials.isEmpty()) {
			return String.join(", ", dials);
		}
		List<String> saturated = new ArrayList<>();
		List<String> states = new ArrayList<>();
		boolean allSaturated = true;
		for (ConnectionPool pool : pools.pools()) {
			PoolStats stats = pool.stats();
			int atBound = pool.saturatedConnections();
			String address = Addresses.format(pool.address());
			if (!stats.down()) {
				allSaturated &= stats.total() == stats.max() && atBound == stats.total();
				saturated.add(address + " " + atBound + " of " + stats.max() + " connections");
			}
			states.add(address + " (open=" + stats.total() + ", idle=" + stats.idle() + ", at the in-flight bound="
					+ atBound + ", max=" + stats.max() + (stats.down() ? ", down: " + stats.lastError() : "") + ")");
		}
		if (allSaturated && !saturated.isEmpty()) {
			return "every connection was at its in-flight bound: " + String.join(", ", saturated) + ", " + maxInFlight
					+ " in flight each (maxInFlightPerConnection)";
		}
		return "waiting for a connection: " + String.join(", ", states);
	}

}
