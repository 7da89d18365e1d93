package dev.anet.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The two timer threads every broker and pool group of the JVM shares, so that an application with
 * many clients has one of each, not one per client: {@code anet-broker-timer} for the brokers'
 * {@code sendAsync} deadlines and write-stall checks (short tasks only), and
 * {@code anet-pool-housekeeper} for the pools' housekeeping (whose {@code READ} validation may wait).
 * Both are daemon threads, started on first use and never shut down; a user cancels its own tasks.
 */
public final class SharedTimers {

	private SharedTimers() {
	}

	/**
	 * Return the timer of the brokers' deadlines and write-stall checks.
	 * @return the shared timer
	 */
	public static ScheduledExecutorService brokerTimer() {
		return BrokerTimer.INSTANCE;
	}

	/**
	 * Return the timer of the pools' housekeeping.
	 * @return the shared timer
	 */
	public static ScheduledExecutorService housekeeper() {
		return Housekeeper.INSTANCE;
	}

	private static ScheduledThreadPoolExecutor daemon(String name) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** Made on first use (the holder idiom). */
	private static final class BrokerTimer {

		static final ScheduledExecutorService INSTANCE = daemon("anet-broker-timer");

	}

	private static final class Housekeeper {

		static final ScheduledExecutorService INSTANCE = daemon("anet-pool-housekeeper");

	}

}
