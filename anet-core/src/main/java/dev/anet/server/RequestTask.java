package dev.anet.server;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import dev.anet.frame.Frames;
import dev.anet.internal.Failures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request, from its handler call to its outcome: it runs the {@link HandlerChain} (on the
 * thread the {@link Dispatcher} chose), gives the handler permit back as soon as the handler
 * returned, queues the answer for the connection's {@link AnswerWriter} and reports the
 * {@link HandlerOutcome}. It is also the answer's entry in the write queue, so a request costs one
 * object.
 *
 * <pre>
 *   Handler:       call ──► permit back ──► answer (queued, written)
 *   AsyncHandler:  place in maxPendingAsync? ──no──► REJECTED
 *                  call ──► permit back ──► stage done?  ──yes──► answer, as a Handler's
 *                                                └─no──► (no thread held) ... completes on any thread ──► answer
 *                                                        stop() gave up first ──► ABANDONED
 * </pre>
 */
final class RequestTask implements HandlerPool.Job, AnswerWriter.Answer, PendingAsync.Pending,
		BiConsumer<byte @Nullable [], @Nullable Throwable> {

	private static final Logger logger = LoggerFactory.getLogger(RequestTask.class);

	private static final byte[] NO_ANSWER = new byte[0];

	private final Shared shared;

	private final Connection connection;

	private final InlineRole role;

	private final int taskId;

	private final byte[] body;

	private final long arrivalNanos;

	/** Whether the connection's reader runs it (it then writes the answer with the others of its read). */
	private final boolean onReader;

	private byte[] answer = NO_ANSWER;

	/** When the request was queued for a handler thread (set by {@link HandlerPool}). */
	private long queuedNanos;

	RequestTask(Shared shared, Connection connection, InlineRole role, int taskId, byte[] body, long arrivalNanos,
			boolean onReader) {
		this.shared = shared;
		this.connection = connection;
		this.role = role;
		this.taskId = taskId;
		this.body = body;
		this.arrivalNanos = arrivalNanos;
		this.onReader = onReader;
	}

	@Override
	public int taskId() {
		return this.taskId;
	}

	@Override
	public byte[] answer() {
		return this.answer;
	}

	@Override
	public void queued(long nanos) {
		this.queuedNanos = nanos;
	}

	@Override
	public long queuedNanos() {
		return this.queuedNanos;
	}

	/**
	 * Run on a handler thread.
	 */
	@Override
	public void run() {
		this.connection.writer().starting();
		call(System.nanoTime());
	}

	/**
	 * Call the handler, give its permit back and answer (now, or when its stage completes).
	 * @param startNanos now ({@link System#nanoTime()}), as the caller already read it
	 */
	void call(long startNanos) {
		if (this.shared.chain.isAsync()) {
			callAsync(startNanos);
			return;
		}
		byte[] result;
		try {
			result = this.shared.chain.handle(this.connection, this.taskId, this.body);
		}
		catch (Throwable ex) {
			handlerReturned(startNanos, System.nanoTime());
			failed(ex);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			return;
		}
		long end = System.nanoTime();
		handlerReturned(startNanos, end);
		answer(result, end, this.onReader);
	}

	private void callAsync(long startNanos) {
		PendingAsync pending = this.shared.pending;
		if (!pending.tryReserve()) {
			handlerReturned(startNanos, System.nanoTime());
			rejected();
			return;
		}
		CompletionStage<byte @Nullable []> stage;
		try {
			stage = this.shared.chain.handleAsync(this.connection, this.taskId, this.body);
		}
		catch (Throwable ex) {
			handlerReturned(startNanos, System.nanoTime());
			pending.release();
			failed(ex);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			return;
		}
		long end = System.nanoTime();
		handlerReturned(startNanos, end);
		// a plain CompletableFuture that is done already is answered as a Handler's answer (its
		// subclasses may refuse isDone(), as the minimal stage does)
		if (stage instanceof CompletableFuture<byte[]> future && future.getClass() == CompletableFuture.class
				&& future.isDone()) {
			pending.release();
			byte[] result;
			try {
				result = future.join();
			}
			catch (CancellationException | CompletionException ex) {
				failed(Failures.unwrap(ex));
				return;
			}
			answer(result, end, this.onReader);
			return;
		}
		pending.add(this, stage);
		try {
			// the thread and the permit are free now; the answer comes in accept()
			stage.whenComplete(this);
		}
		catch (RuntimeException ex) {
			accept(null, ex);
		}
	}

	/**
	 * The async stage completed, on whatever thread completed it.
	 */
	@Override
	public void accept(byte @Nullable [] result, @Nullable Throwable failure) {
		PendingAsync pending = this.shared.pending;
		if (!pending.remove(this)) {
			logger.debug("Async answer to task id {} from {} came after the server stopped waiting for it; dropped",
					unsignedTaskId(), this.connection.remoteAddress());
			return;
		}
		// the place comes back before the answer goes out: the peer's next request may take it
		pending.release();
		if (failure != null) {
			failed(Failures.unwrap(failure));
		}
		else {
			answer(result, System.nanoTime(), false);
		}
	}

	/**
	 * The stopping server gives up on the answer: the request ends without one, and its stage is
	 * cancelled (if it is a {@link Future}).
	 */
	@Override
	public void abandon(CompletionStage<?> stage) {
		logger.debug("Gave up waiting for the async answer to task id {} from {} (shutdownTimeout)", unsignedTaskId(),
				this.connection.remoteAddress());
		this.shared.pending.release();
		this.connection.requestDone();
		completed(HandlerOutcome.ABANDONED);
		if (stage instanceof Future<?> future) {
			try {
				future.cancel(false);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not cancel the abandoned stage of task id {}", unsignedTaskId(), ex);
			}
		}
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

	/** The handler returned or threw: the time counts for the quick score, and its permit comes back. */
	private void handlerReturned(long startNanos, long endNanos) {
		if (this.onReader) {
			this.role.inlineEnded(endNanos);
		}
		this.role.handlerTook(endNanos - startNanos);
		this.shared.handlerFinished();
	}

	/**
	 * Queue the answer, or end without one.
	 * @param result the handler's answer
	 * @param endNanos when it was known
	 * @param held whether the reader writes it with the other answers of its read
	 */
	private void answer(byte @Nullable [] result, long endNanos, boolean held) {
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
		if (!this.connection.queueAnswer(this)) {
			logger.debug("Answer to task id {} from {} not sent: the connection is closed", unsignedTaskId(),
					this.connection.remoteAddress());
			completed(HandlerOutcome.ERROR);
			return;
		}
		if (!held) {
			this.connection.writer().answerReady();
		}
		this.shared.listener.requestCompleted(this.connection, this.body, HandlerOutcome.SUCCESS,
				endNanos - this.arrivalNanos);
	}

	private void rejected() {
		long count = this.shared.rejected.incrementAndGet();
		if (count == 1) {
			logger.warn("{} async requests are pending (maxPendingAsync): rejected a request (task id {}) from {}, "
					+ "no answer sent. Further rejections are logged at DEBUG", this.shared.maxPendingAsync,
					unsignedTaskId(), this.connection.remoteAddress());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("{} async requests are pending (maxPendingAsync): rejected a request (task id {}) from {}; "
					+ "{} so far", this.shared.maxPendingAsync, unsignedTaskId(), this.connection.remoteAddress(), count);
		}
		this.connection.requestDone();
		completed(HandlerOutcome.REJECTED);
	}

	private void failed(Throwable ex) {
		if (ex instanceof InterruptedException && this.shared.draining.isStopping()) {
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
		this.shared.listener.requestCompleted(this.connection, this.body, outcome,
				System.nanoTime() - this.arrivalNanos);
	}

	/** The task id as the peer sent it: an unsigned 32-bit number, for log messages. */
	private long unsignedTaskId() {
		return Integer.toUnsignedLong(this.taskId);
	}

	/**
	 * What the requests of one server share: the handler chain, the listener, the handler permits
	 * and, for an {@link AsyncHandler}, the pending requests.
	 */
	static final class Shared {

		final HandlerChain chain;

		final ServerListener listener;

		final Permits permits;

		final Draining draining;

		final int maxPendingAsync;

		final PendingAsync pending;

		final AtomicLong rejected = new AtomicLong();

		Shared(HandlerChain chain, ServerListener listener, Permits permits, Draining draining, int maxPendingAsync) {
			this.chain = chain;
			this.listener = listener;
			this.permits = permits;
			this.draining = draining;
			this.maxPendingAsync = maxPendingAsync;
			this.pending = new PendingAsync(maxPendingAsync, draining);
		}

		/**
		 * A handler returned or threw: its permit comes back.
		 */
		void handlerFinished() {
			this.permits.give(1);
			this.draining.changed();
		}

	}

}
