package dev.anet.server;

import org.jspecify.annotations.Nullable;

/**
 * Handles one anet request. Called concurrently, also for requests of the same connection.
 */
@FunctionalInterface
public interface Handler {

	/**
	 * Handle a request.
	 * @param connection the connection the request came on
	 * @param request the request body (without length and task id)
	 * @return the answer body, or {@code null} to send nothing (the client's request then times
	 * out, as with the Go server)
	 * @throws Exception to fail this request only: it is logged and counted, nothing is sent, and
	 * the connection keeps being served
	 */
	byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception;

}
