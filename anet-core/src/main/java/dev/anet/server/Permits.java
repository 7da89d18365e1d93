package dev.anet.server;

import java.util.concurrent.Semaphore;

/**
 * A fixed number of permits that a connection's reader takes before it goes on with a request:
 * the write slots of one connection ({@code writeQueueDepth}, its backpressure) and the handler
 * permits of the server ({@code maxConcurrentHandlers}). The reader decides what to do when none is
 * free ({@link ConnectionReader}); whoever finishes the request gives the permit back.
 */
final class Permits {

	private final int count;

	private final Semaphore semaphore;

	Permits(int count) {
		this.count = count;
		this.semaphore = new Semaphore(count);
	}

	/**
	 * Take a permit if one is free.
	 * @return whether one was taken
	 */
	boolean tryTake() {
		return this.semaphore.tryAcquire();
	}

	/**
	 * Take a permit, waiting for one.
	 * @throws InterruptedException if interrupted while waiting
	 */
	void take() throws InterruptedException {
		this.semaphore.acquire();
	}

	/**
	 * Give permits back.
	 * @param permits how many
	 */
	void give(int permits) {
		this.semaphore.release(permits);
	}

	/**
	 * Return how many permits are taken.
	 * @return the count
	 */
	int taken() {
		return this.count - this.semaphore.availablePermits();
	}

}
