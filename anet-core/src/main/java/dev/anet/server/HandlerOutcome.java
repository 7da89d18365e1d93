package dev.anet.server;

/**
 * How the server finished one request.
 */
public enum HandlerOutcome {

	/** An answer was written. */
	SUCCESS,

	/** The handler returned {@code null}: nothing was sent. */
	NO_RESPONSE,

	/** The handler threw, or its answer could not be framed (over 65531 bytes): nothing was sent. */
	ERROR

}
