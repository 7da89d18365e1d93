package dev.anet.server;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the server: run on a handler thread, it calls the
 * {@link Handler}, gives back the handler permit, queues the answer (and may write it, see
 * {@link AnswerWriter}) and reports the {@link HandlerOutcome}. It is also the answer's entry in
 * the connection's write queue, so a request costs one object.
 */
final class RequestTask implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(RequestTask.class);

	private static final byte[] NO_ANSWER = new byte[0];

	private final AnetServer server;

	private final Connection connection;

	private final int taskId;

	private final byte[] body;

	private final long arrivalNanos;

	/** Whether the connection's reader runs it (it then writes the answer with the others of its read). */
	private final boolean inline;

	private byte[] answer = NO_ANSWER;

	/** When the request was queued for a handler thread (set by {@link HandlerPool}). */
	private long queuedNanos;

	RequestTask(AnetServer server, Connection connection, int taskId, byte[] body, long arrivalNanos, boolean inline) {
		this.server = server;
		this.inline = inline;
		this.connection = connection;
		this.taskId = taskId;
		this.body = body;
		this.arrivalNanos = arrivalNanos;
	}

	int taskId() {
		return this.taskId;
	}

	byte[] answer() {
		return this.answer;
	}

	void queued(long nanos) {
		this.queuedNanos = nanos;
	}

	long queuedNanos() {
		return this.queuedNanos;
	}

	@Override
	public void run() {
		if (!this.inline) {
			this.connection.handlerStarting();
		}
		runFrom(System.nanoTime());
	}

	/**
	 * Run the handler, give its permit back and queue the answer.
	 * @param startNanos now ({@link System#nanoTime()}), as the caller already read it
	 */
	void runFrom(long startNanos) {
		byte[] result;
		try {
			result = this.server.chain().handle(this.connection, this.taskId, this.body);
		}
		catch (Throwable ex) {
			this.connection.inlineRole().handlerTook(System.nanoTime() - startNanos);
			this.server.handlerFinished();
			handlerFailed(ex);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			return;
		}
		long end = System.nanoTime();
		if (this.inline) {
			this.connection.reader().handlerEnded(end);
		}
		this.connection.inlineRole().handlerTook(end - startNanos);
		this.server.handlerFinished();
		answer(result, end);
	}

	/**
	 * Report a request that could not be handed to the executor.
	 * @param ex why
	 */
	void rejected(RuntimeException ex) {
		logger.warn("Handler executor rejected a request (task id {}) from {}; no answer sent", unsignedTaskId(),
				this.connection.remoteAddress(), ex);
		this.connection.requestDone();
		completed(HandlerOutcome.ERROR);
	}

	private void answer(byte @Nullable [] result, long endNanos) {
		if (result == null) {
			this.connection.requestDone();
			completed(HandlerOutcome.NO_RESPONSE);
			return;
		}
		if (result.length > Frames.MAX_BODY_SIZE) {
			logger.warn("Handler answer of {} bytes to task id {} from {} is over the anet limit of {} bytes; "
					+ "nothing sent", result.length, unsignedTaskId(), this.connection.remoteAddress(), Frames.MAX_BODY_SIZE);
			this.connection.requestDone();
			completed(HandlerOutcome.ERROR);
			return;
		}
		this.answer = result;
		if (!this.connection.enqueue(this)) {
			logger.debug("Answer to task id {} from {} not sent: the connection is closed", unsignedTaskId(),
					this.connection.remoteAddress());
			completed(HandlerOutcome.ERROR);
			return;
		}
		long nanos = endNanos - this.arrivalNanos;
		if (!this.inline) {
			this.connection.writeAnswers();
		}
		this.server.listener().requestCompleted(this.connection, this.body, HandlerOutcome.SUCCESS, nanos);
	}

	private void handlerFailed(Throwable ex) {
		if (ex instanceof InterruptedException && this.server.isStopping()) {
			logger.debug("Handler for task id {} from {} was interrupted by the server's stop; no answer sent",
					unsignedTaskId(), this.connection.remoteAddress(), ex);
		}
		else if (ex instanceof Exception) {
			logger.warn("Handler failed for task id {} from {}; no answer sent", unsignedTaskId(),
					this.connection.remoteAddress(), ex);
		}
		else {
			logger.error("Handler failed with an error for task id {} from {}; no answer sent", unsignedTaskId(),
					this.connection.remoteAddress(), ex);
		}
		this.connection.requestDone();
		completed(HandlerOutcome.ERROR);
	}

	private void completed(HandlerOutcome outcome) {
		this.server.listener()
			.requestCompleted(this.connection, this.body, outcome, System.nanoTime() - this.arrivalNanos);
	}

	/** The task id as the peer sent it: an unsigned 32-bit number, for log messages. */
	private long unsignedTaskId() {
		return Integer.toUnsignedLong(this.taskId);
	}

}
