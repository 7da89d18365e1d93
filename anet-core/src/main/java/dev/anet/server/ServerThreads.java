package dev.anet.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Makes the threads of one {@link AnetServer}: from the configured {@link ThreadFactory} when there
 * is one (a virtual-thread factory gives virtual threads), else daemon platform threads. Every
 * thread gets a name that says its role ({@code anet-accept}, {@code anet-conn-<addr>-reader},
 * {@code anet-handler-N}, {@code anet-server-watchdog}), also threads from the factory.
 */
final class ServerThreads {

	/** How long an idle handler thread of the default pool is kept. */
	private static final long HANDLER_KEEP_ALIVE_SECONDS = 60;

	private final @Nullable ThreadFactory factory;

	private final AtomicInteger handlerThreads = new AtomicInteger();

	ServerThreads(@Nullable ThreadFactory factory) {
		this.factory = factory;
	}

	/**
	 * Create (not start) a thread.
	 * @param name the thread's name
	 * @param daemon whether a platform thread we make ourselves is a daemon (threads from the
	 * factory keep the factory's choice)
	 * @param task what it runs
	 * @return the thread
	 */
	Thread newThread(String name, boolean daemon, Runnable task) {
		ThreadFactory factory = this.factory;
		if (factory != null) {
			Thread thread = factory.newThread(task);
			if (thread == null) {
				throw new IllegalStateException("ThreadFactory " + factory + " returned null for thread " + name);
			}
			thread.setName(name);
			return thread;
		}
		Thread thread = new Thread(task, name);
		thread.setDaemon(daemon);
		return thread;
	}

	/**
	 * Create the default handler executor: a cached pool (threads made on demand, kept for a minute
	 * when idle) whose threads are named {@code anet-handler-N}. Its size is bounded in practice by
	 * {@code maxConcurrentHandlers}, which the readers enforce before they hand a request over.
	 * @return the executor
	 */
	ExecutorService newHandlerPool() {
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, HANDLER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
				new SynchronousQueue<>(),
				(task) -> newThread("anet-handler-" + this.handlerThreads.incrementAndGet(), true, task));
	}

	/**
	 * Create the single-threaded scheduler of the watchdog: always a daemon platform thread.
	 * @return the scheduler
	 */
	static ScheduledThreadPoolExecutor newWatchdogScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "anet-server-watchdog");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return scheduler;
	}

}
