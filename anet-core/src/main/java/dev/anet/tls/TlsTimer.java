package dev.anet.tls;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread ({@code anet-tls-timer}, a daemon) that ends TLS handshakes past their
 * timeout and {@code close_notify} writes that block, by closing the channel: a blocked read or
 * write then fails at once. Cancelled tasks leave the queue at once.
 */
final class TlsTimer {

	private static final Logger logger = LoggerFactory.getLogger(TlsTimer.class);

	private static final ScheduledThreadPoolExecutor executor = create();

	private TlsTimer() {
	}

	/**
	 * Run a task after a delay.
	 * @param task what to run; its exceptions are logged
	 * @param delayNanos the delay
	 * @return the task, to cancel
	 */
	static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		return executor.schedule(() -> {
			try {
				task.run();
			}
			catch (RuntimeException | Error ex) {
				logger.warn("TLS timer task failed", ex);
			}
		}, delayNanos, TimeUnit.NANOSECONDS);
	}

	private static ScheduledThreadPoolExecutor create() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "anet-tls-timer");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
