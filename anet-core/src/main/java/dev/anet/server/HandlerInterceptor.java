package dev.anet.server;

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

}
