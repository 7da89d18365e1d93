package dev.anet.server;

import org.jspecify.annotations.Nullable;

/**
 * One handler run as a {@link HandlerInterceptor} sees it.
 */
public interface HandlerInvocation {

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
	 * @return the answer, or {@code null} for none
	 * @throws Exception what the handler threw
	 */
	byte @Nullable [] proceed() throws Exception;

	/**
	 * Run the next interceptor, or the handler, with another request.
	 * @param request the request body to pass on
	 * @return the answer, or {@code null} for none
	 * @throws Exception what the handler threw
	 */
	byte @Nullable [] proceed(byte[] request) throws Exception;

}
