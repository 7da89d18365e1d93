package dev.anet.server;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * Where a request runs: the one place that decides it. Called by a connection's reader with a
 * write slot and a handler permit already taken for the request.
 *
 * <ul>
 * <li>A configured {@code handlerExecutor} runs every handler.</li>
 * <li>Without one, the handler threads are the server's {@link HandlerPool}, or, when the
 * {@code threadFactory} makes virtual threads, a new virtual thread per handler; and in both cases
 * the connection's reader (a virtual thread then too) runs handlers itself, watched by the
 * {@link InlineMonitor}, when it may:
 * <ul>
 * <li>a {@link Handler} (which may block) once the connection's handlers have been quick
 * ({@link InlineRole#allowed()});</li>
 * <li>an {@link AsyncHandler} (whose call only starts the work) whenever the reader is free
 * ({@link InlineRole#free()}): its calls never wait for their answers, so they need no thread of
 * their own; one that blocks anyway loses the reader role as a slow handler does, and the requests
 * behind it go to the pool until it returns. Behind an interceptor without
 * {@link HandlerInterceptor#interceptAsync}, whose {@code proceed} waits, it is placed as a
 * {@link Handler} is.</li>
 * </ul>
 * </li>
 * </ul>
 *
 * For an {@link AsyncHandler} what runs there is the call that starts the work; its answer comes
 * on whatever thread completes it ({@link RequestTask}).
 */
final class Dispatcher {

	/** {@link #dispatch}: the request went to a handler thread. */
	static final int HANDED_OFF = 0;

	/** {@link #dispatch}: the handler ran on the reader, which still holds the reader role. */
	static final int RAN_ON_READER = 1;

	/** {@link #dispatch}: the handler ran on the reader so long that another thread took over the reader role. */
	static final int LOST_READER = 2;

	private final RequestTask.Shared shared;

	/** Whether handler calls may wait on their thread (a {@link Handler}, or an interceptor that waits). */
	private final boolean callsWait;

	/** The default handler threads, or {@code null} when {@link #executor} runs the handlers. */
	private final @Nullable HandlerPool pool;

	private final @Nullable Executor executor;

	/** Watches handlers that run on connection readers; {@code null} when they never do. */
	private final @Nullable InlineMonitor inlineMonitor;

	Dispatcher(ServerConfig config, RequestTask.Shared shared, ServerThreads threads,
			ScheduledExecutorService scheduler) {
		this.shared = shared;
		this.callsWait = shared.chain.waitsOnThreads();
		Executor configured = config.handlerExecutor();
		if (configured != null) {
			this.pool = null;
			this.executor = configured;
			this.inlineMonitor = null;
		}
		else if (threads.makesVirtualThreads()) {
			// a virtual thread per handler that is not quick; the quick ones run on the (virtual)
			// reader, which saves starting a thread and a hand-off per request
			this.pool = null;
			this.executor = (task) -> threads.newHandlerThread(task).start();
			this.inlineMonitor = new InlineMonitor(scheduler);
		}
		else {
			int maxThreads = (int) Math.min(Integer.MAX_VALUE, 2L * config.maxConcurrentHandlers());
			this.pool = new HandlerPool(threads::newHandlerThread, scheduler, HandlerPool.defaultCoreSize(), maxThreads,
					this.callsWait);
			this.executor = null;
			this.inlineMonitor = new InlineMonitor(scheduler);
		}
	}

	/**
	 * Return the handler permits ({@code maxConcurrentHandlers}) a reader takes before
	 * {@link #dispatch}.
	 * @return the permits
	 */
	Permits permits() {
		return this.shared.permits;
	}

	/**
	 * Return the number of handlers running or handed to the executor and about to run.
	 * @return the count
	 */
	int running() {
		return this.shared.permits.taken();
	}

	/**
	 * Return the monitor of handlers that run on connection readers.
	 * @return the monitor, or {@code null} if handlers never run on readers
	 */
	@Nullable InlineMonitor inlineMonitor() {
		return this.inlineMonitor;
	}

	/**
	 * Run a request: on the reader thread that calls this, if it may (see above), else on a handler
	 * thread.
	 * @param connection the connection
	 * @param role the connection's inline role
	 * @param taskId the task id
	 * @param body the request body
	 * @param arrivalNanos when the frame was read
	 * @param clock now, if the reader knows it without reading the clock, else {@link Connection#NONE}
	 * @return {@link #HANDED_OFF}, {@link #RAN_ON_READER} or {@link #LOST_READER}
	 */
	int dispatch(Connection connection, InlineRole role, int taskId, byte[] body, long arrivalNanos, long clock) {
		if (this.callsWait ? role.allowed() : role.free()) {
			return runOnReader(connection, role, taskId, body, arrivalNanos, clock);
		}
		handOff(new RequestTask(this.shared, connection, role, taskId, body, arrivalNanos, false), connection);
		return HANDED_OFF;
	}

	private int runOnReader(Connection connection, InlineRole role, int taskId, byte[] body, long arrivalNanos,
			long clock) {
		long start = (clock != Connection.NONE) ? clock : System.nanoTime();
		RequestTask task = new RequestTask(this.shared, connection, role, taskId, body, arrivalNanos, true);
		role.starting(start);
		task.call(start);
		// a handler's interrupt must not end the reader's next read
		Thread.interrupted();
		if (role.finished()) {
			return RAN_ON_READER;
		}
		// another thread reads now: this one writes its answer and ends
		connection.writer().drain();
		return LOST_READER;
	}

	private void handOff(RequestTask task, Connection connection) {
		connection.writer().handedOff();
		try {
			HandlerPool pool = this.pool;
			if (pool != null) {
				pool.execute(task);
			}
			else {
				this.executor.execute(task);
			}
		}
		catch (RejectedExecutionException ex) {
			connection.writer().starting();
			this.shared.handlerFinished();
			task.rejected(ex);
		}
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
