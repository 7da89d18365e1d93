package dev.anet.server;

import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * One run of an {@link AsyncHandler} as {@link HandlerInterceptor#interceptAsync} sees it.
 */
public interface AsyncHandlerInvocation {

	/**
	 * Return the connection the request came on.
	 * @return the connection
	 */
	ServerConnection connection();

	/**
	 * Return the request's task id, as the peer sent it (read it unsigned).
	 * @return the task id
	 */
	int taskId();

	/**
	 * Return the request body, as the interceptors before this one passed it on.
	 * @return the request body
	 */
	byte[] request();

	/**
	 * Run the next interceptor, or the handler, with the same request.
	 * @return the answer to come, or {@code null} in it for none
	 * @throws Exception what the handler threw before it returned its stage
	 */
	CompletionStage<byte @Nullable []> proceed() throws Exception;

	/**
	 * Run the next interceptor, or the handler, with another request.
	 * @param request the request body to pass on
	 * @return the answer to come, or {@code null} in it for none
	 * @throws Exception what the handler threw before it returned its stage
	 */
	CompletionStage<byte @Nullable []> proceed(byte[] request) throws Exception;

}
