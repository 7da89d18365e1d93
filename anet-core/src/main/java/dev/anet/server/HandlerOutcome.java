package dev.anet.server;

/**
 * How the server finished one request.
 */
public enum HandlerOutcome {

	/** An answer was queued to be written (it is lost only if the connection fails first). */
	SUCCESS,

	/** The handler returned {@code null} (or its stage completed with {@code null}): nothing was sent. */
	NO_RESPONSE,

	/**
	 * The handler threw (or its stage completed exceptionally), or its answer could not be framed
	 * (over 65531 bytes), or its connection was closed before the answer was ready: nothing was
	 * sent.
	 */
	ERROR,

	/**
	 * The request was not handled: {@code maxPendingAsync} requests of an {@link AsyncHandler} were
	 * pending already. Nothing was sent.
	 */
	REJECTED,

	/**
	 * The {@link AsyncHandler}'s stage was still pending when {@link AnetServer#stop()} had waited
	 * {@code shutdownTimeout}: the server stopped waiting for it and nothing was sent.
	 */
	ABANDONED

}
