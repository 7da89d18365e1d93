package dev.anet.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Makes the threads of one {@link AnetServer}: from the configured {@link ThreadFactory} when there
 * is one (a virtual-thread factory gives virtual threads), else daemon platform threads. Every
 * thread gets a name that says its role ({@code anet-accept}, {@code anet-conn-<addr>-reader},
 * {@code anet-handler-N}, {@code anet-server-watchdog}), also threads from the factory.
 */
final class ServerThreads {

	/** {@code Thread.isVirtual()} on Java 21 and later, else {@code null}. */
	private static final @Nullable MethodHandle IS_VIRTUAL = findIsVirtual();

	private final @Nullable ThreadFactory factory;

	private final AtomicInteger handlerThreads = new AtomicInteger();

	ServerThreads(@Nullable ThreadFactory factory) {
		this.factory = factory;
	}

	/**
	 * Return whether the thread factory makes virtual threads (then each handler gets its own
	 * thread rather than a pooled one). Asks the factory for a thread it never starts.
	 * @return whether threads are virtual
	 */
	boolean makesVirtualThreads() {
		ThreadFactory factory = this.factory;
		return factory != null && isVirtual(factory.newThread(() -> {
		}));
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
	 * Create (not start) a handler thread named {@code anet-handler-N}.
	 * @param task what it runs
	 * @return the thread
	 */
	Thread newHandlerThread(Runnable task) {
		return newThread("anet-handler-" + this.handlerThreads.incrementAndGet(), true, task);
	}

	/**
	 * Create the single-threaded scheduler of the watchdog and the handler pool: always a daemon
	 * platform thread, started on the first schedule.
	 * @return the scheduler
	 */
	static ScheduledThreadPoolExecutor newScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "anet-server-watchdog");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return scheduler;
	}

	/**
	 * Return whether a thread is virtual ({@code Thread.isVirtual()}; {@code false} before Java 21).
	 * @param thread the thread
	 * @return whether virtual
	 */
	static boolean isVirtual(Thread thread) {
		MethodHandle isVirtual = IS_VIRTUAL;
		if (isVirtual == null) {
			return false;
		}
		try {
			return (boolean) isVirtual.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static @Nullable MethodHandle findIsVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
