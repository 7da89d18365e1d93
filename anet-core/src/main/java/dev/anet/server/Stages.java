package dev.anet.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.anet.internal.Failures;
import org.jspecify.annotations.Nullable;

/**
 * What the server does with an {@link AsyncHandler}'s {@link CompletionStage}s besides chaining
 * to them: for an interceptor without {@link HandlerInterceptor#interceptAsync}, wait for one.
 */
final class Stages {

	private Stages() {
	}

	/**
	 * Return a view of an async run for an interceptor that only has
	 * {@link HandlerInterceptor#intercept}: its {@code proceed} waits for the answer.
	 * @param invocation the async run
	 * @return the view
	 */
	static HandlerInvocation awaiting(AsyncHandlerInvocation invocation) {
		return new Awaiting(invocation);
	}

	private static byte @Nullable [] await(CompletionStage<byte @Nullable []> stage) throws Exception {
		CompletableFuture<byte @Nullable []> future = new CompletableFuture<>();
		stage.whenComplete((answer, failure) -> {
			if (failure != null) {
				future.completeExceptionally(failure);
			}
			else {
				future.complete(answer);
			}
		});
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = Failures.unwrap(ex);
			if (cause instanceof Error error) {
				throw error;
			}
			throw (cause instanceof Exception exception) ? exception
					: new IllegalStateException("async handler failed", cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	/**
	 * An async run seen through {@link HandlerInvocation}: {@code proceed} waits for the stage.
	 */
	private static final class Awaiting implements HandlerInvocation {

		private final AsyncHandlerInvocation invocation;

		Awaiting(AsyncHandlerInvocation invocation) {
			this.invocation = invocation;
		}

		@Override
		public ServerConnection connection() {
			return this.invocation.connection();
		}

		@Override
		public int taskId() {
			return this.invocation.taskId();
		}

		@Override
		public byte[] request() {
			return this.invocation.request();
		}

		@Override
		public byte @Nullable [] proceed() throws Exception {
			return await(this.invocation.proceed());
		}

		@Override
		public byte @Nullable [] proceed(byte[] request) throws Exception {
			return await(this.invocation.proceed(request));
		}

	}

}
