package dev.anet.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Runs around every handler run of an {@link AnetServer}: it may look at or replace the request
 * ({@link HandlerInvocation#proceed(byte[])}), the answer (return another one), and see or turn
 * the handler's exception into an answer. Interceptors nest in the order of
 * {@link ServerConfig#interceptors()}: the first is the outermost. It runs on the handler's thread,
 * so what it puts in a thread-local (a trace scope, the MDC) is there while the handler runs.
 *
 * <pre>
 * byte[] intercept(HandlerInvocation invocation) throws Exception {
 *     long start = System.nanoTime();
 *     try {
 *         return invocation.proceed();
 *     }
 *     finally {
 *         record(System.nanoTime() - start);
 *     }
 * }
 * </pre>
 *
 * <p>
 * <b>Async handlers.</b> A server with an {@link AsyncHandler} calls {@link #interceptAsync}
 * instead: it runs on the handler's thread around the call that starts the work, and what it does
 * with the answer it chains to the stage (that part runs on the thread that completes it):
 *
 * <pre>
 * CompletionStage&lt;byte[]&gt; interceptAsync(AsyncHandlerInvocation invocation) throws Exception {
 *     long start = System.nanoTime();
 *     CompletionStage&lt;byte[]&gt; stage = invocation.proceed();
 *     stage.whenComplete((answer, failure) -&gt; record(System.nanoTime() - start));
 *     return stage;
 * }
 * </pre>
 *
 * Returning the handler's stage itself (rather than the one {@code whenComplete} makes) keeps it
 * the one a stopping server cancels when it gives up waiting; return a dependent stage where the
 * interceptor changes the answer.
 *
 * An interceptor that does not override it still sees every async request, through
 * {@link #intercept}: its {@code proceed()} then waits for the stage, so such a request holds its
 * thread and its handler permit until the answer is there, as a {@link Handler} would (on a
 * connection's reader, a wait over 1 ms hands the reader role to a new thread, see
 * {@link AnetServer}). Override {@code interceptAsync} to keep async requests off threads.
 */
@FunctionalInterface
public interface HandlerInterceptor {

	/**
	 * Run around the handler (and the interceptors after this one).
	 * @param invocation the request and the rest of the chain
	 * @return the answer, or {@code null} to send nothing
	 * @throws Exception to fail the request (logged, counted, nothing sent)
	 */
	byte @Nullable [] intercept(HandlerInvocation invocation) throws Exception;

	/**
	 * Run around an {@link AsyncHandler} (and the interceptors after this one). By default it runs
	 * {@link #intercept} with a {@code proceed()} that waits for the answer (see above).
	 * @param invocation the request and the rest of the chain
	 * @return the answer to come, or {@code null} in it to send nothing
	 * @throws Exception to fail the request (logged, counted, nothing sent)
	 */
	default CompletionStage<byte @Nullable []> interceptAsync(AsyncHandlerInvocation invocation) throws Exception {
		return CompletableFuture.completedFuture(intercept(Stages.awaiting(invocation)));
	}

}
