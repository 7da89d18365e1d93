package dev.anet.pool;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a {@link PoolGroup} starts its search for the next connection, by its {@link Balancing}:
 * the next address in turn, or the better of two random ones. The group then walks the addresses
 * from there, skipping those that are down or full.
 */
final class AddressChooser {

	private final Balancing balancing;

	private final AtomicInteger next = new AtomicInteger();

	AddressChooser(Balancing balancing) {
		this.balancing = balancing;
	}

	Balancing balancing() {
		return this.balancing;
	}

	/**
	 * Return the index to start the search at: the next in turn, or with
	 * {@link Balancing#LEAST_IN_FLIGHT} the one of two random addresses (that are up) whose
	 * requests in flight cost less.
	 * @param pools the group's pools, at least one
	 * @return an index into {@code pools}
	 */
	int start(List<ConnectionPool> pools) {
		int size = pools.size();
		if (size == 1) {
			return 0;
		}
		if (this.balancing == Balancing.ROUND_ROBIN) {
			return Math.floorMod(this.next.getAndIncrement(), size);
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int a = random.nextInt(size);
		int b = random.nextInt(size - 1);
		if (b >= a) {
			b++;
		}
		long now = System.nanoTime();
		ConnectionPool first = pools.get(a);
		ConnectionPool second = pools.get(b);
		if (first.isDown(now)) {
			return b;
		}
		if (second.isDown(now)) {
			return a;
		}
		int inFlightA = first.requestsInFlight();
		int inFlightB = second.requestsInFlight();
		long answerA = first.answerTimeNanos(now);
		long answerB = second.answerTimeNanos(now);
		if (answerA == 0 || answerB == 0) {
			// an answer time is not known (no answer yet, or none in the last second): by count
			return (inFlightB < inFlightA) ? b : a;
		}
		// requests in flight plus this one, each costing the pool's recent answer time
		return ((inFlightB + 1L) * answerB < (inFlightA + 1L) * answerA) ? b : a;
	}

}
