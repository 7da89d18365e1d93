package dev.anet.server;

/**
 * How the server finished one request.
 */
public enum HandlerOutcome {

	/** An answer was queued to be written (it is lost only if the connection fails first). */
	SUCCESS,

	/** The handler returned {@code null}: nothing was sent. */
	NO_RESPONSE,

	/**
	 * The handler threw, or its answer could not be framed (over 65531 bytes), or its connection
	 * was closed before the answer was ready: nothing was sent.
	 */
	ERROR

}
