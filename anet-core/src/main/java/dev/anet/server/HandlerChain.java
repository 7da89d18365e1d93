package dev.anet.server;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's handler (a {@link Handler} or an {@link AsyncHandler}) behind its
 * {@link HandlerInterceptor}s: what a request runs. Without interceptors it calls the handler
 * directly and makes nothing.
 */
final class HandlerChain {

	private static final Logger logger = LoggerFactory.getLogger(HandlerChain.class);

	private final @Nullable Handler handler;

	private final @Nullable AsyncHandler asyncHandler;

	private final HandlerInterceptor[] interceptors;

	/** Whether a run may wait for its answer on its thread. */
	private final boolean waitsOnThreads;

	private HandlerChain(@Nullable Handler handler, @Nullable AsyncHandler asyncHandler,
			List<HandlerInterceptor> interceptors) {
		this.handler = handler;
		this.asyncHandler = asyncHandler;
		this.interceptors = interceptors.toArray(new HandlerInterceptor[0]);
		this.waitsOnThreads = (handler != null)
				|| !interceptors.stream().allMatch(HandlerChain::overridesInterceptAsync);
	}

	/**
	 * Chain a handler whose answer is its return value.
	 * @param handler the handler
	 * @param interceptors the interceptors, the first outermost
	 * @return the chain
	 */
	static HandlerChain of(Handler handler, List<HandlerInterceptor> interceptors) {
		return new HandlerChain(handler, null, interceptors);
	}

	/**
	 * Chain a handler whose answer comes later; says at INFO which interceptors make its requests
	 * wait on a thread (those without {@link HandlerInterceptor#interceptAsync}).
	 * @param handler the handler
	 * @param interceptors the interceptors, the first outermost
	 * @return the chain
	 */
	static HandlerChain ofAsync(AsyncHandler handler, List<HandlerInterceptor> interceptors) {
		for (HandlerInterceptor interceptor : interceptors) {
			if (!overridesInterceptAsync(interceptor)) {
				logger.info("HandlerInterceptor {} does not implement interceptAsync: the async requests it intercepts "
						+ "wait for their answer on a handler thread", interceptor);
			}
		}
		return new HandlerChain(null, handler, interceptors);
	}

	/**
	 * Return whether the handler is an {@link AsyncHandler} (then call {@link #handleAsync}).
	 * @return whether it is
	 */
	boolean isAsync() {
		return this.asyncHandler != null;
	}

	/**
	 * Return whether a run may wait for its answer on the thread that runs it: always for a
	 * {@link Handler} (it may block); for an {@link AsyncHandler} only behind an interceptor that
	 * does not implement {@link HandlerInterceptor#interceptAsync} (its {@code proceed} waits).
	 * @return whether
	 */
	boolean waitsOnThreads() {
		return this.waitsOnThreads;
	}

	/**
	 * Run a {@link Handler} behind the interceptors.
	 */
	byte @Nullable [] handle(ServerConnection connection, int taskId, byte[] request) throws Exception {
		Handler handler = this.handler;
		if (handler == null) {
			throw new IllegalStateException("the server's handler is an AsyncHandler");
		}
		if (this.interceptors.length == 0) {
			return handler.handle(connection, request);
		}
		return new Invocation(connection, taskId, request, 0).proceed();
	}

	/**
	 * Start an {@link AsyncHandler} behind the interceptors.
	 * @return the answer to come (never {@code null})
	 */
	CompletionStage<byte @Nullable []> handleAsync(ServerConnection connection, int taskId, byte[] request)
			throws Exception {
		AsyncHandler handler = this.asyncHandler;
		if (handler == null) {
			throw new IllegalStateException("the server's handler is not an AsyncHandler");
		}
		if (this.interceptors.length == 0) {
			return notNull(handler.handle(connection, request), handler);
		}
		return new AsyncInvocation(connection, taskId, request, 0).proceed();
	}

	private static boolean overridesInterceptAsync(HandlerInterceptor interceptor) {
		try {
			Method method = interceptor.getClass().getMethod("interceptAsync", AsyncHandlerInvocation.class);
			return method.getDeclaringClass() != HandlerInterceptor.class;
		}
		catch (NoSuchMethodException | SecurityException ex) {
			return false;
		}
	}

	private static <T> CompletionStage<T> notNull(@Nullable CompletionStage<T> stage, Object from) {
		if (stage == null) {
			throw new IllegalStateException(from + " returned null instead of a CompletionStage");
		}
		return stage;
	}

	/** What both kinds of invocation know: the request at one step of the interceptor chain. */
	private abstract static class Step {

		final ServerConnection connection;

		final int taskId;

		final byte[] request;

		/** The next interceptor to run; the handler's turn at {@code interceptors.length}. */
		final int index;

		Step(ServerConnection connection, int taskId, byte[] request, int index) {
			this.connection = connection;
			this.taskId = taskId;
			this.request = request;
			this.index = index;
		}

		public ServerConnection connection() {
			return this.connection;
		}

		public int taskId() {
			return this.taskId;
		}

		public byte[] request() {
			return this.request;
		}

	}

	private final class Invocation extends Step implements HandlerInvocation {

		Invocation(ServerConnection connection, int taskId, byte[] request, int index) {
			super(connection, taskId, request, index);
		}

		@Override
		public byte @Nullable [] proceed() throws Exception {
			return proceed(this.request);
		}

		@Override
		public byte @Nullable [] proceed(byte[] request) throws Exception {
			if (request == null) {
				throw new IllegalArgumentException("HandlerInvocation.proceed(null): pass the request body on");
			}
			HandlerInterceptor[] interceptors = HandlerChain.this.interceptors;
			if (this.index == interceptors.length) {
				return HandlerChain.this.handler.handle(this.connection, request);
			}
			return interceptors[this.index].intercept(new Invocation(this.connection, this.taskId, request, this.index + 1));
		}

	}

	private final class AsyncInvocation extends Step implements AsyncHandlerInvocation {

		AsyncInvocation(ServerConnection connection, int taskId, byte[] request, int index) {
			super(connection, taskId, request, index);
		}

		@Override
		public CompletionStage<byte @Nullable []> proceed() throws Exception {
			return proceed(this.request);
		}

		@Override
		public CompletionStage<byte @Nullable []> proceed(byte[] request) throws Exception {
			if (request == null) {
				throw new IllegalArgumentException("AsyncHandlerInvocation.proceed(null): pass the request body on");
			}
			HandlerInterceptor[] interceptors = HandlerChain.this.interceptors;
			if (this.index == interceptors.length) {
				AsyncHandler handler = HandlerChain.this.asyncHandler;
				return notNull(handler.handle(this.connection, request), handler);
			}
			HandlerInterceptor interceptor = interceptors[this.index];
			return notNull(
					interceptor.interceptAsync(new AsyncInvocation(this.connection, this.taskId, request, this.index + 1)),
					interceptor);
		}

	}

}
