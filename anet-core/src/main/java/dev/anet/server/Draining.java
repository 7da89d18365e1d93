package dev.anet.server;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server's stop as its parts see it: whether the server stops (the acceptor ends, readers drop
 * new frames), and the wake-up of {@link AnetServer#stop()} while it waits for what runs to
 * finish. A part that finishes something stop() waits for (a connection, a handler, an async
 * request) calls {@link #changed()}; it costs a volatile read while the server runs.
 */
final class Draining {

	private final Object monitor = new Object();

	private volatile boolean stopping;

	/**
	 * Return whether the server stops.
	 * @return whether {@link #begin()} was called
	 */
	boolean isStopping() {
		return this.stopping;
	}

	/**
	 * The server stops.
	 */
	void begin() {
		this.stopping = true;
	}

	/**
	 * Something stop() waits for finished: wake it, if it waits.
	 */
	void changed() {
		if (this.stopping) {
			synchronized (this.monitor) {
				this.monitor.notifyAll();
			}
		}
	}

	/**
	 * Wait until {@code drained} holds, checking it whenever {@link #changed()} is called.
	 * @param deadline the {@link System#nanoTime()} to give up at
	 * @param drained whether everything finished
	 * @return whether it did before the deadline
	 */
	boolean await(long deadline, BooleanSupplier drained) {
		synchronized (this.monitor) {
			while (!drained.getAsBoolean()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.monitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

}
