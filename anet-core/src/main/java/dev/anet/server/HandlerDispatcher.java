package dev.anet.server;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

import org.jspecify.annotations.Nullable;

/**
 * Where a server's requests run: the handler permits ({@code maxConcurrentHandlers}), the handler
 * threads, and the handlers that quick connections run on their readers.
 *
 * <ul>
 * <li>A configured {@code handlerExecutor} runs every handler.</li>
 * <li>Without one, a {@code threadFactory} that makes virtual threads gives each handler its own.</li>
 * <li>Else the server's {@link HandlerPool} runs them, and a connection whose handlers have been
 * quick runs them on its reader ({@link #runInline}), watched by the {@link InlineMonitor}.</li>
 * </ul>
 */
final class HandlerDispatcher {

	/** {@link #runInline}: the handler ran and the thread still holds the reader role. */
	static final int INLINE_DONE = 0;

	/** {@link #runInline}: the server stops; the request was not run (the caller gives its write slot back). */
	static final int INLINE_REFUSED = 1;

	/** {@link #runInline}: the handler ran so long that another thread took over the reader role. */
	static final int INLINE_LOST_READER = 2;

	private final AnetServer server;

	private final int maxConcurrentHandlers;

	private final Semaphore permits;

	/** The default handler threads, or {@code null} when {@link #executor} runs the handlers. */
	private final @Nullable HandlerPool pool;

	private final @Nullable Executor executor;

	/** Watches handlers that run on connection readers; {@code null} when they never do. */
	private final @Nullable InlineMonitor inlineMonitor;

	HandlerDispatcher(AnetServer server, ServerConfig config, ServerThreads threads, ScheduledExecutorService scheduler) {
		this.server = server;
		this.maxConcurrentHandlers = config.maxConcurrentHandlers();
		this.permits = new Semaphore(this.maxConcurrentHandlers);
		Executor configured = config.handlerExecutor();
		if (configured != null) {
			this.pool = null;
			this.executor = configured;
			this.inlineMonitor = null;
		}
		else if (threads.makesVirtualThreads()) {
			this.pool = null;
			this.executor = (task) -> threads.newHandlerThread(task).start();
			this.inlineMonitor = null;
		}
		else {
			int maxThreads = (int) Math.min(Integer.MAX_VALUE, 2L * this.maxConcurrentHandlers);
			this.pool = new HandlerPool(threads::newHandlerThread, scheduler, HandlerPool.defaultCoreSize(), maxThreads);
			this.executor = null;
			this.inlineMonitor = new InlineMonitor(scheduler);
		}
	}

	/**
	 * Return the number of handlers running or handed to the executor and about to run.
	 * @return the count
	 */
	int running() {
		return this.maxConcurrentHandlers - this.permits.availablePermits();
	}

	/**
	 * Return the monitor of handlers that run on connection readers.
	 * @return the monitor, or {@code null} if handlers never run on readers
	 */
	@Nullable InlineMonitor inlineMonitor() {
		return this.inlineMonitor;
	}

	/**
	 * Hand a request to the handler threads once a handler permit is free. Called by the reader of
	 * the connection, which already holds a write slot for it.
	 * @param connection the connection
	 * @param taskId the task id
	 * @param body the request body
	 * @param arrivalNanos when the frame was read
	 * @return whether the request was handed over (else the caller gives its write slot back)
	 * @throws ConnectionReader.ReaderInterruptedException if interrupted while waiting for a permit
	 */
	boolean dispatch(Connection connection, int taskId, byte[] body, long arrivalNanos) {
		connection.acquireOnReader(this.permits);
		if (this.server.isStopping()) {
			this.server.handlerFinished();
			return false;
		}
		RequestTask task = new RequestTask(this.server, connection, taskId, body, arrivalNanos, false);
		connection.handlerQueued();
		try {
			HandlerPool pool = this.pool;
			if (pool != null) {
				pool.execute(task);
			}
			else {
				Objects.requireNonNull(this.executor).execute(task);
			}
		}
		catch (RejectedExecutionException ex) {
			connection.handlerStarting();
			this.server.handlerFinished();
			task.rejected(ex);
		}
		return true;
	}

	/**
	 * Run a request on the reader thread of its connection once a handler permit is free, under the
	 * watch of the {@link InlineMonitor}. Called by the reader, which already holds a write slot.
	 * @param connection the connection
	 * @param taskId the task id
	 * @param body the request body
	 * @param arrivalNanos when the frame was read
	 * @return {@link #INLINE_DONE}, {@link #INLINE_REFUSED} or {@link #INLINE_LOST_READER}
	 * @throws ConnectionReader.ReaderInterruptedException if interrupted while waiting for a permit
	 */
	int runInline(Connection connection, int taskId, byte[] body, long arrivalNanos) {
		ConnectionReader reader = connection.reader();
		long start = connection.acquireOnReader(this.permits) ? System.nanoTime() : reader.clock();
		if (this.server.isStopping()) {
			this.server.handlerFinished();
			return INLINE_REFUSED;
		}
		RequestTask task = new RequestTask(this.server, connection, taskId, body, arrivalNanos, true);
		InlineRole role = reader.inlineRole();
		role.starting(start);
		task.runFrom(start);
		// a handler's interrupt must not end the reader's next read
		Thread.interrupted();
		if (role.finished()) {
			return INLINE_DONE;
		}
		connection.writeHeldAnswers();
		return INLINE_LOST_READER;
	}

	/**
	 * A handler returned or threw: its permit comes back.
	 */
	void release() {
		this.permits.release();
	}

	/**
	 * The server stops: stop the handler pool (if it is the server's).
	 * @param interrupt whether to interrupt handlers that still run
	 */
	void shutdown(boolean interrupt) {
		HandlerPool pool = this.pool;
		if (pool != null) {
			pool.shutdown(interrupt);
		}
	}

}
